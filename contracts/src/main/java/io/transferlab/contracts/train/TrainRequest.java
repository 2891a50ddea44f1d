package io.transferlab.contracts.train;

import java.time.Instant;

/**
 * Topic {@code vision.train.requests}, key = runId.
 *
 * @param studyId the tuning study this run belongs to, or null for a standalone run
 * @param modelId the model this run publishes into the store (null: the run id); runs that share a model id
 *        publish successive versions of it, which inference hot-reloads
 * @param correlationId follows the user's HTTP call through the logs of every service
 */
public record TrainRequest(
        int schemaVersion,
        String runId,
        String studyId,
        String modelId,
        RunSpec spec,
        String correlationId,
        Instant submittedAt) {

    public String effectiveModelId() {
        return modelId == null || modelId.isBlank() ? runId : modelId;
    }
}
