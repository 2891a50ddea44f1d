package io.transferlab.contracts.query;

import io.transferlab.contracts.ErrorInfo;
import io.transferlab.contracts.train.RunSpec;
import io.transferlab.contracts.tune.Objective;
import io.transferlab.contracts.tune.RandomSearch;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A tuning study with its ranked runs table (best first by the objective; runs without a value last).
 *
 * @param runsByStatus how many of the study's trials are in each run status
 * @param bestValue the best run's value of the objective metric
 * @param runs the ranked table; empty in list views
 * @param error why a REJECTED study was not planned (every violation, with its field path); null otherwise
 * @param owner the API key that submitted the study; only it, or an admin key, may cancel it. Null for studies
 *        recorded before owners were
 */
public record StudyView(
        String studyId,
        String name,
        StudyStatus status,
        Objective objective,
        int maxParallel,
        int trialCount,
        Map<String, Integer> runsByStatus,
        String bestRunId,
        Double bestValue,
        RunSpec baseSpec,
        Map<String, List<Object>> grid,
        RandomSearch random,
        Instant createdAt,
        Instant finishedAt,
        List<RunsTableRow> runs,
        ErrorInfo error,
        String owner) {

    /** The shape before {@code error} was added (kept so that code built against it still compiles). */
    public StudyView(String studyId, String name, StudyStatus status, Objective objective, int maxParallel,
            int trialCount, Map<String, Integer> runsByStatus, String bestRunId, Double bestValue, RunSpec baseSpec,
            Map<String, List<Object>> grid, RandomSearch random, Instant createdAt, Instant finishedAt,
            List<RunsTableRow> runs) {
        this(studyId, name, status, objective, maxParallel, trialCount, runsByStatus, bestRunId, bestValue, baseSpec,
                grid, random, createdAt, finishedAt, runs, null, null);
    }
}
