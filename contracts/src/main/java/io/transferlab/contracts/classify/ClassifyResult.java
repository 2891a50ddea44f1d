package io.transferlab.contracts.classify;

import io.transferlab.contracts.ErrorInfo;
import java.time.Instant;
import java.util.List;

/**
 * Topic {@code vision.classify.results}, key = requestId. Either predictions (status OK) or an error.
 *
 * @param modelVersion the version of the model that answered; hot reloads raise it
 * @param batchSize how many requests shared the forward pass
 */
public record ClassifyResult(
        int schemaVersion,
        String requestId,
        ClassifyStatus status,
        String modelId,
        Integer modelVersion,
        List<Prediction> predictions,
        ClassifyTimings timings,
        Integer batchSize,
        ErrorInfo error,
        Instant completedAt) {
}
