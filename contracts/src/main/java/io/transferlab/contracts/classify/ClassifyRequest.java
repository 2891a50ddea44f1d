package io.transferlab.contracts.classify;

import java.time.Instant;

/**
 * Topic {@code vision.classify.requests}, key = requestId. The image travels as base64 in JSON
 * (Jackson's default for {@code byte[]}).
 *
 * @param modelId a model id from the store, or {@code imagenet-resnet50}
 * @param topK how many predictions to return, best first
 * @param contentType the image's media type as the client declared it (informational; the bytes decide)
 * @param modelVersion the version to classify with ({@code model=digits@3}); null (absent, as in every schema
 *        version 1 request): what the model serves unpinned, its {@code production} alias when set, else its newest
 *        version
 */
public record ClassifyRequest(
        int schemaVersion,
        String requestId,
        String modelId,
        int topK,
        byte[] image,
        String contentType,
        Instant submittedAt,
        Integer modelVersion) {

    public static final int DEFAULT_TOP_K = 5;
    public static final int MAX_TOP_K = 1000;

    /** A request without a pin: the shape of schema version 1. */
    public ClassifyRequest(int schemaVersion, String requestId, String modelId, int topK, byte[] image,
            String contentType, Instant submittedAt) {
        this(schemaVersion, requestId, modelId, topK, image, contentType, submittedAt, null);
    }
}
