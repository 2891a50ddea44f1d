package io.transferlab.tuner.support;

import io.transferlab.contracts.train.ClassAccuracy;
import io.transferlab.contracts.train.ConfusionMatrix;
import io.transferlab.contracts.train.EpochMetrics;
import io.transferlab.contracts.train.FinalMetrics;
import io.transferlab.contracts.train.RunSpec;
import io.transferlab.contracts.train.RunStatus;
import io.transferlab.contracts.train.TrainProgress;
import io.transferlab.contracts.train.TrainRequest;
import io.transferlab.contracts.train.TrainResult;
import io.transferlab.contracts.train.TrainStage;
import io.transferlab.contracts.tune.Objective;
import io.transferlab.contracts.tune.TuneRequest;
import io.transferlab.contracts.ErrorCode;
import io.transferlab.contracts.ErrorInfo;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The messages a trainer and the gateway would send, built the way they build them. */
public final class Messages {

    private Messages() {
    }

    /** A small, valid base spec (what the chapter's grid varies is left at its defaults). */
    public static RunSpec baseSpec() {
        return RunSpec.builder().dataset("mnist").trainSize(200).testSize(100).epochs(2).optimizer("rmsprop").build();
    }

    /** The chapter's 2 x 2 x 2 grid, first flag slowest. */
    public static Map<String, List<Object>> chapterGrid() {
        Map<String, List<Object>> grid = new LinkedHashMap<>();
        grid.put("denseUnits", List.of(256, 512));
        grid.put("dropout", List.of(0.1, 0.3));
        grid.put("batchSize", List.of(10, 30));
        return grid;
    }

    public static TuneRequest grid(String studyId, Map<String, List<Object>> grid, int maxParallel, String correlationId) {
        return new TuneRequest(1, studyId, "it " + studyId, baseSpec(), grid, null, maxParallel,
                Objective.defaultObjective(), correlationId, Instant.now());
    }

    /** A grid study submitted by the API key {@code owner} (with the admin role when {@code ownerIsAdmin}). */
    public static TuneRequest grid(String studyId, Map<String, List<Object>> grid, int maxParallel, String correlationId,
            String owner, boolean ownerIsAdmin) {
        return new TuneRequest(2, studyId, "it " + studyId, baseSpec(), grid, null, maxParallel,
                Objective.defaultObjective(), correlationId, Instant.now(), owner, ownerIsAdmin);
    }

    /** Two epochs, then the final figures; validation accuracy as given. */
    public static List<EpochMetrics> history(double valAccuracy) {
        return List.of(new EpochMetrics(1, TrainStage.TRAIN, 1.20, 0.55, 1.10, valAccuracy - 0.10, 900),
                new EpochMetrics(2, TrainStage.TRAIN, 0.70, 0.80, 0.65, valAccuracy, 850));
    }

    public static TrainProgress progress(TrainRequest request, EpochMetrics epoch) {
        return new TrainProgress(1, request.runId(), request.studyId(), epoch, 2, epoch.epoch() * 900L, 120.0, "cpu()",
                Instant.now());
    }

    public static TrainResult succeeded(TrainRequest request, double valAccuracy) {
        Instant end = Instant.now();
        return new TrainResult(1, request.runId(), request.studyId(), RunStatus.SUCCEEDED, request.spec(),
                history(valAccuracy), new FinalMetrics(0.65, 0.82, 0.65, valAccuracy, 0.70, valAccuracy - 0.02),
                new ConfusionMatrix(List.of("0", "1"), new int[][] {{45, 8}, {5, 42}}),
                List.of(new ClassAccuracy(0, "0", 90.0, 50), new ClassAccuracy(1, "1", 84.0, 50)), List.of("0", "1"),
                request.runId(), 1, "cpu()", "fake-trainer", end.minusSeconds(2), end, 2000L, 100.0, null);
    }

    public static TrainResult cancelled(TrainRequest request) {
        Instant end = Instant.now();
        return new TrainResult(1, request.runId(), request.studyId(), RunStatus.CANCELLED, request.spec(), List.of(),
                null, null, null, null, null, null, "cpu()", "fake-trainer", end.minusSeconds(1), end, 1000L, null,
                ErrorInfo.of(ErrorCode.INTERNAL, "cancelled on request"));
    }
}
