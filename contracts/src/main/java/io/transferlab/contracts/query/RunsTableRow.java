package io.transferlab.contracts.query;

import io.transferlab.contracts.train.RunStatus;
import java.util.Map;

/**
 * One row of a study's runs table, in the layout of R tfruns' {@code ls_runs()}.
 *
 * @param rank 1 = best by the study's objective; null while the run has no value for it
 * @param flags {@code flag_<snake_case name>} to value, e.g. {@code flag_dense_units: 256}
 * @param metrics {@code metric_<name>} to value: metric_loss, metric_accuracy, metric_val_loss,
 *        metric_val_accuracy, metric_test_loss, metric_test_accuracy
 */
public record RunsTableRow(
        String runId,
        Integer trialIndex,
        Integer rank,
        RunStatus status,
        Map<String, Object> flags,
        Map<String, Double> metrics,
        int epochsCompleted,
        String modelId,
        Long durationMs) {
}
