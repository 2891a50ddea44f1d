package io.transferlab.tuner.persistence;

import io.transferlab.contracts.ErrorCode;
import io.transferlab.contracts.ErrorInfo;
import io.transferlab.contracts.json.Json;
import io.transferlab.contracts.query.RunView;
import io.transferlab.contracts.query.RunsTableRow;
import io.transferlab.contracts.train.ClassAccuracy;
import io.transferlab.contracts.train.EpochMetrics;
import io.transferlab.contracts.train.FinalMetrics;
import io.transferlab.contracts.train.RunStatus;
import io.transferlab.contracts.train.TrainStage;
import io.transferlab.contracts.tune.Flags;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Runs as the HTTP API shows them, read from the run tables and the ls_runs view. */
@ApplicationScoped
public class RunQueries {

    private final RunRepository runs;
    private final StudyRepository studies;

    public RunQueries(RunRepository runs, StudyRepository studies) {
        this.runs = runs;
        this.studies = studies;
    }

    /** One run with its history, confusion matrix and per-class accuracy. */
    public Optional<RunView> find(String runId) {
        return runs.findByIdOptional(runId).map(run -> {
            List<EpochMetrics> history = runs.history(runId).stream().map(RunQueries::epoch).toList();
            List<ClassAccuracy> perClass = runs.classMetrics(runId).stream()
                    .map(c -> new ClassAccuracy(c.classIndex, c.label, c.accuracy, c.support)).toList();
            return view(run, history, perClass.isEmpty() ? null : perClass, true);
        });
    }

    /**
     * Runs, newest first; those of one study in rank order (best first, unranked after them by trial index).
     * A summary: history, confusion matrix and per-class accuracy are left out ({@link #find} has them).
     */
    public List<RunView> list(String studyId, RunStatus status, int limit) {
        List<RunEntity> rows = studyId == null ? runs.newest(status, limit)
                : runs.ofStudyRanked(studyId, status, limit);
        return rows.stream().map(run -> view(run, null, null, false)).toList();
    }

    /**
     * A study's runs table in rank order. {@code flagOrder} orders the flag columns (the grid's own order); only
     * the flags the study varied are shown, the others are the same for every row.
     */
    public List<RunsTableRow> table(String studyId, List<String> flagOrder) {
        Map<String, Map<String, Object>> trialFlags = studies.trialFlags(studyId);
        return runs.ranked(studyId).stream().map(l -> {
            Map<String, Object> varied = trialFlags.get(l.runId);
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
            putIfPresent(metrics, "metric_loss", l.metricLoss);
            putIfPresent(metrics, "metric_accuracy", l.metricAccuracy);
            putIfPresent(metrics, "metric_val_loss", l.metricValLoss);
            putIfPresent(metrics, "metric_val_accuracy", l.metricValAccuracy);
            putIfPresent(metrics, "metric_test_loss", l.metricTestLoss);
            putIfPresent(metrics, "metric_test_accuracy", l.metricTestAccuracy);
            return new RunsTableRow(l.runId, l.trialIndex, l.studyRank == null ? null : l.studyRank.intValue(),
                    l.status, flags, metrics, l.epochsCompleted, l.modelId, l.durationMs);
        }).toList();
    }

    private static void putIfPresent(Map<String, Double> metrics, String column, Double value) {
        if (value != null) {
            metrics.put(column, value);
        }
    }

    private static EpochMetrics epoch(RunEpochEntity e) {
        return new EpochMetrics(e.epoch, Json.mapper().convertValue(e.stage, TrainStage.class), e.loss, e.accuracy,
                e.valLoss, e.valAccuracy, e.elapsedMs);
    }

    private static RunView view(RunEntity r, List<EpochMetrics> history, List<ClassAccuracy> perClass, boolean full) {
        boolean anyMetric = r.trainLoss != null || r.trainAccuracy != null || r.valLoss != null
                || r.valAccuracy != null || r.testLoss != null || r.testAccuracy != null;
        FinalMetrics metrics = anyMetric
                ? new FinalMetrics(r.trainLoss, r.trainAccuracy, r.valLoss, r.valAccuracy, r.testLoss, r.testAccuracy)
                : null;
        return new RunView(r.runId, r.studyId, r.trialIndex, r.status, r.spec, r.variedFlags, r.epochsCompleted,
                history, metrics, full ? r.confusionMatrix : null, perClass, r.classNames, r.modelId, r.modelVersion,
                r.device, r.trainerId, r.imagesPerSecond, error(r.errorCode, r.errorMessage), r.correlationId,
                r.submittedAt, r.startedAt, r.finishedAt, r.durationMs, r.owner);
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
