package io.transferlab.contracts;

import io.transferlab.contracts.classify.ClassifyRequest;
import io.transferlab.contracts.classify.ClassifyResult;
import io.transferlab.contracts.classify.ClassifyStatus;
import io.transferlab.contracts.classify.ClassifyTimings;
import io.transferlab.contracts.classify.Prediction;
import io.transferlab.contracts.model.ModelAliasChanged;
import io.transferlab.contracts.model.ModelPublished;
import io.transferlab.contracts.train.ClassAccuracy;
import io.transferlab.contracts.train.ConfusionMatrix;
import io.transferlab.contracts.train.ControlAction;
import io.transferlab.contracts.train.EpochMetrics;
import io.transferlab.contracts.train.FinalMetrics;
import io.transferlab.contracts.train.RunSpec;
import io.transferlab.contracts.train.RunStatus;
import io.transferlab.contracts.train.TrainControl;
import io.transferlab.contracts.train.TrainProgress;
import io.transferlab.contracts.train.TrainRequest;
import io.transferlab.contracts.train.TrainResult;
import io.transferlab.contracts.train.TrainStage;
import io.transferlab.contracts.tune.Objective;
import io.transferlab.contracts.tune.ParamSpace;
import io.transferlab.contracts.tune.RandomSearch;
import io.transferlab.contracts.tune.TuneControl;
import io.transferlab.contracts.tune.TuneRequest;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One fully populated instance of every message, for round-trip and contract tests. */
final class Samples {

    static final Instant T = Instant.parse("2026-11-28T10:15:30Z");

    static RunSpec spec() {
        return RunSpec.builder().dataset("cifar10").trainSize(2000).testSize(2000).backbone("resnet50")
                .imageSize(224).denseUnits(256).dropout(0.1).optimizer("adam").epochs(5).batchSize(30)
                .classes(List.of(0, 1, 2)).build().withDefaults();
    }

    static Map<String, List<Object>> chapterGrid() {
        Map<String, List<Object>> grid = new LinkedHashMap<>();
        grid.put("denseUnits", List.of(256, 512));
        grid.put("dropout", List.of(0.1, 0.3));
        grid.put("batchSize", List.of(10, 30));
        return grid;
    }

    static List<Object> all() {
        EpochMetrics epoch = new EpochMetrics(1, TrainStage.TRAIN, 1.2, 0.6, 1.3, 0.55, 1234);
        FinalMetrics metrics = new FinalMetrics(0.5, 0.8, 0.6, 0.77, 0.65, 0.76);
        return List.of(
                new ClassifyRequest(1, "req-1", "imagenet-resnet50", 5, new byte[] {(byte) 0xFF, (byte) 0xD8, 1},
                        "image/jpeg", T),
                new ClassifyResult(1, "req-1", ClassifyStatus.OK, "digits", 3,
                        List.of(new Prediction("Norwich_terrier", 186, 0.77, "n02094258")),
                        new ClassifyTimings(1.5, 2.5, 30.0, 35.0), 4, null, T),
                new ClassifyResult(1, "req-2", ClassifyStatus.ERROR, "nope", null, null, null, null,
                        ErrorInfo.of(ErrorCode.UNKNOWN_MODEL, "no model 'nope'"), T),
                new TrainRequest(2, "run-1", "study-1", "digits", spec(), "corr-1", T, "alice", false),
                new TrainProgress(1, "run-1", "study-1", epoch, 5, 1500, 14.2, "cpu()", T),
                new TrainResult(1, "run-1", "study-1", RunStatus.SUCCEEDED, spec(), List.of(epoch), metrics,
                        new ConfusionMatrix(List.of("a", "b"), new int[][] {{3, 1}, {0, 4}}),
                        List.of(new ClassAccuracy(0, "a", 100.0, 3), new ClassAccuracy(1, "b", 80.0, 5)),
                        List.of("a", "b"), "digits", 2, "cpu()", "trainer-1", T, T.plusSeconds(60), 60_000L, 14.0,
                        null),
                new TrainControl(2, "run-1", ControlAction.CANCEL, "user asked", T, "alice", false),
                new TuneRequest(2, "study-1", "chapter grid", spec(), chapterGrid(), null, 2,
                        new Objective("val_accuracy", "maximize"), "corr-2", T, "alice", true),
                new TuneRequest(1, "study-2", null, spec(), null,
                        new RandomSearch(4, 7L, Map.of("learningRate", new ParamSpace(null, 1e-4, 1e-2, true, false))),
                        1, null, null, T),
                new TuneControl(1, "study-1", ControlAction.CANCEL, null, T),
                new ModelPublished(2, "digits", 2, "run-1", spec(), List.of("a", "b"), metrics, "digits/v2",
                        "imagenet:resnet50", T, "alice"),
                new ClassifyRequest(2, "req-3", "digits", 3, new byte[] {(byte) 0x89, 'P', 'N', 'G'}, "image/png", T,
                        2),
                new ModelAliasChanged(2, "digits", ModelAliasChanged.PRODUCTION, 2, "release-bot", T),
                new ModelAliasChanged(2, "digits", ModelAliasChanged.PRODUCTION, null, "release-bot", T),
                new TrainControl(1, "run-2", ControlAction.CANCEL, null, T),
                new TuneControl(2, "study-2", ControlAction.CANCEL, "enough", T, "root", true));
    }

    private Samples() {
    }
}
