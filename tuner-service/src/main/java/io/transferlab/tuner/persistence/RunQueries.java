package io.transferlab.tuner.persistence;

import io.transferlab.contracts.ErrorCode;
import io.transferlab.contracts.ErrorInfo;
import io.transferlab.contracts.json.Json;
import io.transferlab.contracts.query.RunView;
import io.transferlab.contracts.query.RunsTableRow;
import io.transferlab.contracts.train.ClassAccuracy;
import io.transferlab.contracts.train.ConfusionMatrix;
import io.transferlab.contracts.train.EpochMetrics;
import io.transferlab.contracts.train.FinalMetrics;
import io.transferlab.contracts.train.RunSpec;
import io.transferlab.contracts.train.RunStatus;
import io.transferlab.contracts.train.TrainStage;
import io.transferlab.contracts.tune.Flags;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Runs as the HTTP API shows them, read from the run tables and the ls_runs view. */
@ApplicationScoped
public class RunQueries {

    /** The ls_runs columns behind {@link RunsTableRow#metrics()}, in display order. */
    public static final List<String> METRIC_COLUMNS = List.of("metric_loss", "metric_accuracy", "metric_val_loss",
            "metric_val_accuracy", "metric_test_loss", "metric_test_accuracy");

    private static final String RUN_COLUMNS = """
            r.run_id, r.study_id, r.trial_index, r.status, CAST(r.spec AS text) AS spec,
            CAST(r.varied_flags AS text) AS varied_flags, r.epochs_completed, r.train_loss, r.train_accuracy,
            r.val_loss, r.val_accuracy, r.test_loss, r.test_accuracy, CAST(r.confusion_matrix AS text) AS confusion,
            CAST(r.class_names AS text) AS class_names, r.model_id, r.model_version, r.device, r.trainer_id,
            r.images_per_second, r.error_code, r.error_message, r.correlation_id, r.submitted_at, r.started_at,
            r.finished_at, r.duration_ms
            """;

    private final Jdbc jdbc;

    public RunQueries(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** One run with its history, confusion matrix and per-class accuracy. */
    public Optional<RunView> find(String runId) {
        List<EpochMetrics> history = jdbc.query("""
                SELECT epoch, stage, loss, accuracy, val_loss, val_accuracy, elapsed_ms
                FROM run_epoch WHERE run_id = ? ORDER BY epoch
                """, RunQueries::epoch, runId);
        List<ClassAccuracy> perClass = jdbc.query("""
                SELECT class_index, label, accuracy, support FROM run_class_metric WHERE run_id = ? ORDER BY class_index
                """, rs -> new ClassAccuracy(rs.getInt("class_index"), rs.getString("label"),
                Jdbc.doubleOrNull(rs, "accuracy"), rs.getInt("support")), runId);
        return jdbc.query("SELECT " + RUN_COLUMNS + " FROM run r WHERE r.run_id = ?",
                rs -> view(rs, history, perClass.isEmpty() ? null : perClass, true), runId).stream().findFirst();
    }

    /**
     * Runs, newest first; those of one study in rank order (best first, unranked after them by trial index).
     * A summary: history, confusion matrix and per-class accuracy are left out ({@link #find} has them).
     */
    public List<RunView> list(String studyId, RunStatus status, int limit) {
        List<Object> params = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT ").append(RUN_COLUMNS);
        if (studyId != null) {
            sql.append(" FROM ls_runs l JOIN run r ON r.run_id = l.run_id WHERE l.study_id = ?");
            params.add(studyId);
        } else {
            sql.append(" FROM run r WHERE true");
        }
        if (status != null) {
            sql.append(" AND r.status = ?");
            params.add(status.name());
        }
        sql.append(studyId != null
                ? " ORDER BY l.study_rank NULLS LAST, r.trial_index, r.run_id"
                : " ORDER BY COALESCE(r.submitted_at, r.updated_at) DESC, r.run_id DESC");
        sql.append(" LIMIT ?");
        params.add(limit);
        return jdbc.query(sql.toString(), rs -> view(rs, null, null, false), params.toArray());
    }

    /**
     * A study's runs table in rank order. {@code flagOrder} orders the flag columns (the grid's own order); only
     * the flags the study varied are shown, the others are the same for every row.
     */
    public List<RunsTableRow> table(String studyId, List<String> flagOrder) {
        return jdbc.query("""
                SELECT l.*, CAST(t.flags AS text) AS trial_flags
                FROM ls_runs l LEFT JOIN trial t ON t.run_id = l.run_id
                WHERE l.study_id = ?
                ORDER BY l.study_rank NULLS LAST, l.trial_index, l.run_id
                """, rs -> {
                    Map<String, Object> varied = JsonColumns.objectMap(rs.getString("trial_flags"));
                    Map<String, Object> flags = new LinkedHashMap<>();
                    if (varied != null) {
                        for (String name : flagOrder) {
                            if (varied.containsKey(name)) {
                                flags.put(Flags.column(name), varied.get(name));
                            }
                        }
                        varied.forEach((name, value) -> flags.putIfAbsent(Flags.column(name), value));
                    }
                    Map<String, Double> metrics = new LinkedHashMap<>();
                    for (String column : METRIC_COLUMNS) {
                        Double value = Jdbc.doubleOrNull(rs, column);
                        if (value != null) {
                            metrics.put(column, value);
                        }
                    }
                    return new RunsTableRow(rs.getString("run_id"), Jdbc.intOrNull(rs, "trial_index"),
                            Jdbc.intOrNull(rs, "study_rank"), RunStatus.valueOf(rs.getString("status")), flags, metrics,
                            rs.getInt("epochs_completed"), rs.getString("model_id"), Jdbc.longOrNull(rs, "duration_ms"));
                }, studyId);
    }

    private static EpochMetrics epoch(ResultSet rs) throws SQLException {
        return new EpochMetrics(rs.getInt("epoch"), Json.mapper().convertValue(rs.getString("stage"), TrainStage.class),
                rs.getDouble("loss"), rs.getDouble("accuracy"), Jdbc.doubleOrNull(rs, "val_loss"),
                Jdbc.doubleOrNull(rs, "val_accuracy"), rs.getLong("elapsed_ms"));
    }

    private static RunView view(ResultSet rs, List<EpochMetrics> history, List<ClassAccuracy> perClass, boolean full)
            throws SQLException {
        FinalMetrics metrics = new FinalMetrics(Jdbc.doubleOrNull(rs, "train_loss"), Jdbc.doubleOrNull(rs, "train_accuracy"),
                Jdbc.doubleOrNull(rs, "val_loss"), Jdbc.doubleOrNull(rs, "val_accuracy"),
                Jdbc.doubleOrNull(rs, "test_loss"), Jdbc.doubleOrNull(rs, "test_accuracy"));
        boolean anyMetric = metrics.trainLoss() != null || metrics.trainAccuracy() != null || metrics.valLoss() != null
                || metrics.valAccuracy() != null || metrics.testLoss() != null || metrics.testAccuracy() != null;
        return new RunView(
                rs.getString("run_id"),
                rs.getString("study_id"),
                Jdbc.intOrNull(rs, "trial_index"),
                RunStatus.valueOf(rs.getString("status")),
                JsonColumns.as(rs.getString("spec"), RunSpec.class),
                JsonColumns.objectMap(rs.getString("varied_flags")),
                rs.getInt("epochs_completed"),
                history,
                anyMetric ? metrics : null,
                full ? JsonColumns.as(rs.getString("confusion"), ConfusionMatrix.class) : null,
                perClass,
                JsonColumns.strings(rs.getString("class_names")),
                rs.getString("model_id"),
                Jdbc.intOrNull(rs, "model_version"),
                rs.getString("device"),
                rs.getString("trainer_id"),
                Jdbc.doubleOrNull(rs, "images_per_second"),
                error(rs.getString("error_code"), rs.getString("error_message")),
                rs.getString("correlation_id"),
                Jdbc.instant(rs, "submitted_at"),
                Jdbc.instant(rs, "started_at"),
                Jdbc.instant(rs, "finished_at"),
                Jdbc.longOrNull(rs, "duration_ms"));
    }

    /** Trainers name the failure with an ErrorCode; a code this build does not know still shows, as INTERNAL. */
    private static ErrorInfo error(String code, String message) {
        if (code == null) {
            return null;
        }
        ErrorCode parsed;
        try {
            parsed = ErrorCode.valueOf(code);
        } catch (IllegalArgumentException e) {
            parsed = ErrorCode.INTERNAL;
            message = code + ": " + message;
        }
        return ErrorInfo.of(parsed, message == null ? code : message);
    }
}
