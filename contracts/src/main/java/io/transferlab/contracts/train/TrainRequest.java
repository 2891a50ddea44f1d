package io.transferlab.contracts.train;

import io.transferlab.contracts.Requester;
import java.time.Instant;

/**
 * Topic {@code vision.train.requests}, key = runId.
 *
 * @param studyId the tuning study this run belongs to, or null for a standalone run
 * @param modelId the model this run publishes into the store (null: the run id); runs that share a model id
 *        publish successive versions of it, which inference hot-reloads
 * @param correlationId follows the user's HTTP call through the logs of every service
 * @param owner the name of the gateway API key that submitted the run (a trial: its study's); the model version it
 *        publishes records it. Null in requests from before owners were recorded (schema version 1). Trusted as
 *        sent: only the gateway and the tuner may write this topic (Kafka ACLs, docs/security.md)
 * @param ownerIsAdmin true when that key held the {@code admin} role: the run may publish over a model another key
 *        owns; absent means false
 */
public record TrainRequest(
        int schemaVersion,
        String runId,
        String studyId,
        String modelId,
        RunSpec spec,
        String correlationId,
        Instant submittedAt,
        String owner,
        Boolean ownerIsAdmin) {

    /** A request without an owner: the shape of schema version 1. */
    public TrainRequest(int schemaVersion, String runId, String studyId, String modelId, RunSpec spec,
            String correlationId, Instant submittedAt) {
        this(schemaVersion, runId, studyId, modelId, spec, correlationId, submittedAt, null, null);
    }

    public String effectiveModelId() {
        return modelId == null || modelId.isBlank() ? runId : modelId;
    }

    /** Who asked for the run, for the model store's ownership check. */
    public Requester requester() {
        return new Requester(owner, Boolean.TRUE.equals(ownerIsAdmin));
    }
}
