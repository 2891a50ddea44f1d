package io.transferlab.contracts.tune;

import io.transferlab.contracts.Requester;
import io.transferlab.contracts.train.RunSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Topic {@code vision.tune.requests}, key = studyId. Give exactly one of {@code grid} (every combination, like
 * tfruns' {@code tuning_run(flags = ...)}) or {@code random} (a seeded sample).
 *
 * @param baseSpec the spec every trial starts from
 * @param grid flag name (a {@link RunSpec} field) to the values to try, e.g.
 *        {@code {"denseUnits": [256, 512], "dropout": [0.1, 0.3], "batchSize": [10, 30]}}
 * @param maxParallel trials in flight at once
 * @param owner the name of the gateway API key that submitted the study; every trial's train request carries it,
 *        so the runs and the models they publish belong to that key. Null in requests from before owners were
 *        recorded (schema version 1)
 * @param ownerIsAdmin true when that key held the {@code admin} role (the trials inherit it); absent means false
 */
public record TuneRequest(
        int schemaVersion,
        String studyId,
        String name,
        RunSpec baseSpec,
        Map<String, List<Object>> grid,
        RandomSearch random,
        Integer maxParallel,
        Objective objective,
        String correlationId,
        Instant submittedAt,
        String owner,
        Boolean ownerIsAdmin) {

    public static final int DEFAULT_MAX_PARALLEL = 2;
    public static final int MAX_TRIALS = 1000;

    /** A request without an owner: the shape of schema version 1. */
    public TuneRequest(int schemaVersion, String studyId, String name, RunSpec baseSpec,
            Map<String, List<Object>> grid, RandomSearch random, Integer maxParallel, Objective objective,
            String correlationId, Instant submittedAt) {
        this(schemaVersion, studyId, name, baseSpec, grid, random, maxParallel, objective, correlationId, submittedAt,
                null, null);
    }

    /** Who asked for the study. */
    public Requester requester() {
        return new Requester(owner, Boolean.TRUE.equals(ownerIsAdmin));
    }
}
