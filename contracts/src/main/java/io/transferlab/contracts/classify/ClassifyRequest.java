package io.transferlab.contracts.classify;

import java.time.Instant;

/**
 * Topic {@code vision.classify.requests}, key = requestId. The image travels as base64 in JSON
 * (Jackson's default for {@code byte[]}).
 *
 * @param modelId a model id from the store, or {@code imagenet-resnet50}
 * @param topK how many predictions to return, best first
 * @param contentType the image's media type as the client declared it (informational; the bytes decide)
 */
public record ClassifyRequest(
        int schemaVersion,
        String requestId,
        String modelId,
        int topK,
        byte[] image,
        String contentType,
        Instant submittedAt) {

    public static final int DEFAULT_TOP_K = 5;
    public static final int MAX_TOP_K = 1000;
}
