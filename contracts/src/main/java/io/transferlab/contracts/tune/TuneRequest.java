package io.transferlab.contracts.tune;

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
        Instant submittedAt) {

    public static final int DEFAULT_MAX_PARALLEL = 2;
    public static final int MAX_TRIALS = 1000;
}
