package io.transferlab.contracts.train;

import io.transferlab.contracts.ErrorInfo;
import java.time.Instant;
import java.util.List;

/**
 * Topic {@code vision.train.results}, key = runId; one message per run. Self-contained for subscribers: it
 * repeats the spec. A redelivered request whose run already finished republishes the same result.
 *
 * @param status SUCCEEDED, FAILED or CANCELLED
 * @param modelId the model saved to the store (SUCCEEDED only)
 * @param modelVersion the version of that model this run published
 * @param device e.g. {@code cpu()} or {@code gpu(0)}
 * @param trainerId which trainer replica ran it
 * @param error why it failed or was cancelled
 */
public record TrainResult(
        int schemaVersion,
        String runId,
        String studyId,
        RunStatus status,
        RunSpec spec,
        List<EpochMetrics> history,
        FinalMetrics metrics,
        ConfusionMatrix confusionMatrix,
        List<ClassAccuracy> perClassAccuracy,
        List<String> classNames,
        String modelId,
        Integer modelVersion,
        String device,
        String trainerId,
        Instant startedAt,
        Instant finishedAt,
        Long durationMs,
        Double imagesPerSecond,
        ErrorInfo error) {
}
