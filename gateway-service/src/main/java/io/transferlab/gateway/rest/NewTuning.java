package io.transferlab.gateway.rest;

import io.transferlab.contracts.train.RunSpec;
import io.transferlab.contracts.tune.Objective;
import io.transferlab.contracts.tune.RandomSearch;
import java.util.List;
import java.util.Map;

/**
 * Body of {@code POST /api/v1/tunings}: a base spec and exactly one of a flag grid (every combination, like
 * tfruns) or a random search.
 *
 * @param maxParallel trials in flight at once (default 2)
 * @param objective what ranks the runs (default val_accuracy, maximized)
 */
public record NewTuning(String name, RunSpec baseSpec, Map<String, List<Object>> grid, RandomSearch random,
        Integer maxParallel, Objective objective) {
}
