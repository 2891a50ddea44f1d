package io.transferlab.inference.service;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Images accepted for one model version: the model that will answer, what decoding took, and the outcomes in the
 * order of the images (completed when every image has had its forward pass).
 */
public record Submission(String modelId, int modelVersion, long decodeNanos,
        CompletableFuture<List<BatchOutcome>> outcomes) {
}
