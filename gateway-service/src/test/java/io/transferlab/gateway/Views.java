package io.transferlab.gateway;

import io.transferlab.contracts.SchemaVersion;
import io.transferlab.contracts.model.ModelPublished;
import io.transferlab.contracts.query.ModelView;
import io.transferlab.contracts.query.RunView;
import io.transferlab.contracts.query.RunsTableRow;
import io.transferlab.contracts.query.StudyStatus;
import io.transferlab.contracts.query.StudyView;
import io.transferlab.contracts.train.ClassAccuracy;
import io.transferlab.contracts.train.ConfusionMatrix;
import io.transferlab.contracts.train.EpochMetrics;
import io.transferlab.contracts.train.FinalMetrics;
import io.transferlab.contracts.train.RunSpec;
import io.transferlab.contracts.train.RunStatus;
import io.transferlab.contracts.train.TrainProgress;
import io.transferlab.contracts.train.TrainResult;
import io.transferlab.contracts.train.TrainStage;
import io.transferlab.contracts.tune.Objective;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Contracts views and messages as the tuner and the trainer would produce them, for the stand-ins. */
public final class Views {

    private static final RunSpec SPEC = RunSpec.builder().dataset("mnist").trainSize(500).epochs(3).build().withDefaults();

    private Views() {
    }

    public static EpochMetrics epoch(int n) {
        return new EpochMetrics(n, TrainStage.TRAIN, 1.0 / n, 0.5 + 0.1 * n, 1.1 / n, 0.45 + 0.1 * n, 1000);
    }

    public static RunView run(String runId, RunStatus status, int epochs) {
        return run(runId, status, epochs, null);
    }

    /** A run submitted by the key named {@code owner} (null: recorded before owners were). */
    public static RunView run(String runId, RunStatus status, int epochs, String owner) {
        List<EpochMetrics> history = new ArrayList<>();
        for (int i = 1; i <= epochs; i++) {
            history.add(epoch(i));
        }
        return new RunView(runId, null, null, status, SPEC, Map.of(), epochs, history,
                status.isFinal() ? new FinalMetrics(0.2, 0.9, 0.3, 0.85, 0.35, 0.84) : null,
                status.isFinal() ? confusion() : null, status.isFinal() ? perClass() : null,
                List.of("zero", "one"), "digits", status.isFinal() ? 1 : null, "cpu()", "trainer-1", 120.0, null,
                "corr-1", Instant.parse("2026-11-28T09:00:00Z"), Instant.parse("2026-11-28T09:00:01Z"),
                status.isFinal() ? Instant.parse("2026-11-28T09:01:00Z") : null, status.isFinal() ? 59000L : null,
                owner);
    }

    public static ConfusionMatrix confusion() {
        return new ConfusionMatrix(List.of("zero", "one"), new int[][] {{45, 5}, {3, 47}});
    }

    public static List<ClassAccuracy> perClass() {
        return List.of(new ClassAccuracy(0, "zero", 93.75, 48), new ClassAccuracy(1, "one", 90.38, 52));
    }

    public static StudyView study(String studyId, int trials, List<RunsTableRow> runs) {
        return study(studyId, trials, runs, null);
    }

    /** A study submitted by the key named {@code owner} (null: recorded before owners were). */
    public static StudyView study(String studyId, int trials, List<RunsTableRow> runs, String owner) {
        return new StudyView(studyId, "grid", StudyStatus.RUNNING, Objective.defaultObjective(), 2, trials,
                Map.of("RUNNING", trials), null, null, SPEC, Map.of("dropout", List.of(0.1, 0.3)), null,
                Instant.parse("2026-11-28T09:00:00Z"), null, runs, null, owner);
    }

    public static RunsTableRow row(String runId, int trial, RunStatus status, Double valAccuracy) {
        return new RunsTableRow(runId, trial, valAccuracy == null ? null : 1, status,
                Map.of("flag_dropout", trial == 0 ? 0.1 : 0.3),
                valAccuracy == null ? Map.of() : Map.of("metric_val_accuracy", valAccuracy), 3, "digits", 1000L);
    }

    public static ModelView model(String modelId) {
        return model(modelId, null);
    }

    /** A model whose latest version the key named {@code owner} published (null: before owners were recorded). */
    public static ModelView model(String modelId, String owner) {
        ModelPublished card = new ModelPublished(SchemaVersion.CURRENT, modelId, 2, "run-1", SPEC,
                List.of("zero", "one"), new FinalMetrics(0.2, 0.9, 0.3, 0.85, 0.35, 0.84), modelId + "/2",
                "random", Instant.parse("2026-11-28T09:01:00Z"), owner);
        return new ModelView(modelId, 2, card, List.of(1, 2), owner);
    }

    public static TrainProgress progress(String runId, String studyId, int epoch) {
        return new TrainProgress(SchemaVersion.CURRENT, runId, studyId, epoch(epoch), 3, epoch * 1000L, 100.0,
                "cpu()", Instant.now());
    }

    public static TrainResult result(String runId, String studyId, int epochs) {
        List<EpochMetrics> history = new ArrayList<>();
        for (int i = 1; i <= epochs; i++) {
            history.add(epoch(i));
        }
        return new TrainResult(SchemaVersion.CURRENT, runId, studyId, RunStatus.SUCCEEDED, SPEC, history,
                new FinalMetrics(0.2, 0.9, 0.3, 0.85, 0.35, 0.84), confusion(), perClass(), List.of("zero", "one"),
                "digits", 1, "cpu()", "trainer-1", Instant.now(), Instant.now(), 3000L, 100.0, null);
    }
}
