package io.transferlab.gateway.rest;

import io.transferlab.contracts.tune.Objective;
import java.time.Instant;

/** What a client learns when its study is queued. */
public record AcceptedTuning(String studyId, String name, int trialCount, int maxParallel, Objective objective,
        Instant submittedAt, String location, String events) {
}
