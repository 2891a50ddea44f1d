package io.transferlab.contracts.train;

import java.time.Instant;

/**
 * Topic {@code vision.train.progress}, key = runId; one message per finished epoch, in order.
 *
 * @param totalEpochs epochs planned over both stages (early stopping may end sooner)
 * @param elapsedMs since the run started
 * @param imagesPerSecond training throughput of this epoch
 * @param device where the run executes, e.g. {@code cpu()} or {@code gpu(0)}
 */
public record TrainProgress(
        int schemaVersion,
        String runId,
        String studyId,
        EpochMetrics metrics,
        int totalEpochs,
        long elapsedMs,
        double imagesPerSecond,
        String device,
        Instant timestamp) {
}
