package io.transferlab.gateway.rest;

import io.transferlab.contracts.train.RunSpec;
import io.transferlab.contracts.train.RunStatus;
import java.time.Instant;

/** What a client learns when its training is queued: the run id, the resolved spec and where to follow it. */
public record AcceptedTraining(String runId, RunStatus status, String modelId, RunSpec spec, Instant submittedAt,
        String location, String events) {
}
