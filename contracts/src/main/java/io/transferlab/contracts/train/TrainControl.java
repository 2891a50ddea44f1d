package io.transferlab.contracts.train;

import java.time.Instant;

/**
 * Topic {@code vision.train.control}, key = runId. Every trainer replica reads every control message (each in
 * its own consumer group) and acts when it holds or has queued that run; the run stops between batches.
 */
public record TrainControl(
        int schemaVersion,
        String runId,
        ControlAction action,
        String reason,
        Instant requestedAt) {
}
