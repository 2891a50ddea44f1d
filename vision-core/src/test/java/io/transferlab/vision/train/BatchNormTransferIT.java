package io.transferlab.vision.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.transferlab.contracts.train.RunSpec;
import io.transferlab.contracts.train.TrainStage;
import io.transferlab.vision.TestData;
import io.transferlab.vision.model.Backbone;
import io.transferlab.vision.model.Network;
import io.transferlab.vision.store.ModelCard;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Networks with batch norm, trained with gradients on, on real Fashion-MNIST images at 32 px: a ResNet-18 from
 * scratch on classes 0-4 (the source model, trained once for the class), then used as a {@code run:} backbone for
 * classes 5-9 with 200 training images, frozen under a new head and then fine-tuned for 10 epochs with its batch
 * norms frozen and trained, against the same ResNet-18 from scratch on the same 200 images with the same seed, for
 * three target seeds. Each target run is trained once and shared by the tests (about 10 s each on 2 cores).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BatchNormTransferIT {

    private static final List<Integer> SOURCE_CLASSES = List.of(0, 1, 2, 3, 4);
    private static final List<Integer> TARGET_CLASSES = List.of(5, 6, 7, 8, 9);
    private static final String SOURCE = "run:resnet18-source";
    /** Target seeds; 7 is the one bench/protocol pairs with this source's seed 1. */
    private static final List<Long> TARGET_SEEDS = List.of(7L, 8L, 9L);

    @TempDir
    static Path work;

    private TransferTrainer trainer;
    private TrainingOutcome source;
    private final Map<Long, TargetRuns> targets = new HashMap<>();

    @BeforeAll
    void trainSourceModel() {
        trainer = TransferTrainer.create(TestData.settings(work));
        source = trainer.train("resnet18-source", "resnet18-source", RunSpec.builder()
                .dataset("fashion-mnist").classes(SOURCE_CLASSES).trainSize(5000).sampling("stratified")
                .testSize(1000).imageSize(32).backbone("resnet18").weights("random").freeze(false)
                .pooling("avg").denseUnits(0).optimizer("adam").learningRate(0.001).epochs(2).batchSize(32)
                .validationSplit(0.0).seed(1L).build(), TrainingListener.NONE, CancellationToken.none());
        System.out.printf("source: resnet18 from scratch, 32 px, Fashion-MNIST classes 0-4, 5,000 images, 2 epochs: "
                + "test accuracy %.4f (%d ms)%n", source.metrics().testAccuracy(), source.durationMs());
    }

    @Test
    void resNet18FromScratchLearnsTheSourceClasses() {
        assertThat(source.card().spec().batchNorm()).isEqualTo(RunSpec.BATCH_NORM_TRAIN);
        assertThat(source.history()).hasSize(2);
        assertThat(source.history().get(1).loss()).isLessThan(source.history().get(0).loss());
        assertThat(source.metrics().testAccuracy()).isGreaterThanOrEqualTo(0.80);
    }

    /**
     * Fine-tuned in either batch-norm mode, the source beats ResNet-18 from scratch on the same 200 images: by the
     * mean over three target seeds, because one pair of 10-epoch runs on 200 images differs by a few points from seed
     * to seed (the reference run in PyTorch, bench/protocol, shows the same spread). Each fine-tuned run also beats
     * the frozen head it started from. The frozen head itself is printed, not compared with training from scratch:
     * on these classes it does not beat it in PyTorch either, with any head on the whole backbone ({@code
     * bench/protocol/frozen_ceiling.py}, docs/vision-core.md): the source never saw footwear, and its frozen features
     * miss sandals most.
     */
    @Test
    void fineTunedResNet18BeatsResNet18FromScratchAndTheFrozenHeadInBothBatchNormModes() {
        double scratch = 0;
        double tunedFrozenBn = 0;
        double tunedTrainBn = 0;
        for (long seed : TARGET_SEEDS) {
            TargetRuns runs = targetRuns(seed);
            System.out.printf("classes 5-9, 200 images, seed %d: resnet18 from scratch %.4f, frozen + head %.4f, "
                    + "fine-tuned (batch norm frozen) %.4f, fine-tuned (batch norm train) %.4f%n", seed,
                    runs.scratch().metrics().testAccuracy(), runs.frozen().metrics().testAccuracy(),
                    runs.tunedFrozenBn().metrics().testAccuracy(), runs.tunedTrainBn().metrics().testAccuracy());
            assertThat(runs.scratch().metrics().testAccuracy()).isGreaterThan(0.5);
            assertThat(runs.tunedFrozenBn().metrics().testAccuracy())
                    .isGreaterThan(runs.frozen().metrics().testAccuracy());
            assertThat(runs.tunedTrainBn().metrics().testAccuracy())
                    .isGreaterThan(runs.frozen().metrics().testAccuracy());
            assertThat(runs.tunedTrainBn().history()).last().extracting(h -> h.stage())
                    .isEqualTo(TrainStage.FINE_TUNE);
            assertThat(runs.frozen().card().spec().batchNorm()).isEqualTo(RunSpec.BATCH_NORM_FROZEN);
            scratch += runs.scratch().metrics().testAccuracy() / TARGET_SEEDS.size();
            tunedFrozenBn += runs.tunedFrozenBn().metrics().testAccuracy() / TARGET_SEEDS.size();
            tunedTrainBn += runs.tunedTrainBn().metrics().testAccuracy() / TARGET_SEEDS.size();
        }
        System.out.printf("classes 5-9, 200 images, mean over seeds %s: resnet18 from scratch %.4f, fine-tuned "
                + "(batch norm frozen) %.4f, fine-tuned (batch norm train) %.4f%n", TARGET_SEEDS, scratch,
                tunedFrozenBn, tunedTrainBn);
        assertThat(tunedFrozenBn).isGreaterThan(scratch);
        assertThat(tunedTrainBn).isGreaterThan(scratch);
    }

    @Test
    void fineTuningChangesWeightsAndKeepsRunningStatisticsOnlyWhenBatchNormIsFrozen() {
        TargetRuns runs = targetRuns(TARGET_SEEDS.get(0));
        TrainingOutcome keep = runs.tunedFrozenBn();
        TrainingOutcome train = runs.tunedTrainBn();
        Map<String, float[]> before = backboneParameters(source.card());
        for (TrainingOutcome o : List.of(keep, train)) {
            Map<String, float[]> after = backboneParameters(o.card());
            assertThat(after.keySet()).isEqualTo(before.keySet());
            boolean trainsBatchNorm = o == train;
            int weightsChanged = 0;
            int statisticsChanged = 0;
            int statistics = 0;
            for (Map.Entry<String, float[]> e : before.entrySet()) {
                boolean changed = !Arrays.equals(e.getValue(), after.get(e.getKey()));
                if (isRunningStatistic(e.getKey())) {
                    statistics++;
                    statisticsChanged += changed ? 1 : 0;
                } else {
                    weightsChanged += changed ? 1 : 0;
                }
            }
            System.out.printf("fine-tuned, batch norm %s: %d of %d weights changed, %d of %d running statistics%n",
                    o.card().spec().batchNorm(), weightsChanged, before.size() - statistics, statisticsChanged,
                    statistics);
            assertThat(statistics).as("ResNet-18 has 20 batch norms, 2 running statistics each").isEqualTo(40);
            assertThat(weightsChanged).as("fine-tuning trains the backbone").isEqualTo(before.size() - statistics);
            assertThat(statisticsChanged).isEqualTo(trainsBatchNorm ? statistics : 0);
        }
    }

    /** The four target runs of one seed, trained once and shared by the tests. */
    private TargetRuns targetRuns(long seed) {
        return targets.computeIfAbsent(seed, s -> new TargetRuns(
                trainer.train("scratch-" + s, "scratch-" + s, target(s).backbone("resnet18").weights("random")
                        .freeze(false).build(), TrainingListener.NONE, CancellationToken.none()),
                trainer.train("frozen-" + s, "frozen-" + s, target(s).backbone(SOURCE).freeze(true).build(),
                        TrainingListener.NONE, CancellationToken.none()),
                trainer.train("tuned-bn-frozen-" + s, "tuned-bn-frozen-" + s, fineTuned(s)
                        .batchNorm(RunSpec.BATCH_NORM_FROZEN).build(), TrainingListener.NONE,
                        CancellationToken.none()),
                trainer.train("tuned-bn-train-" + s, "tuned-bn-train-" + s, fineTuned(s)
                        .batchNorm(RunSpec.BATCH_NORM_TRAIN).build(), TrainingListener.NONE,
                        CancellationToken.none())));
    }

    private record TargetRuns(TrainingOutcome scratch, TrainingOutcome frozen, TrainingOutcome tunedFrozenBn,
            TrainingOutcome tunedTrainBn) {
    }

    private RunSpec.Builder target(long seed) {
        return RunSpec.builder().dataset("fashion-mnist").classes(TARGET_CLASSES).trainSize(200)
                .sampling("stratified").testSize(1000).imageSize(32).pooling("avg").denseUnits(0)
                .optimizer("adam").learningRate(0.001).epochs(10).batchSize(16).validationSplit(0.0).seed(seed);
    }

    private RunSpec.Builder fineTuned(long seed) {
        return target(seed).backbone(SOURCE).freeze(true).fineTuneEpochs(10).fineTuneLearningRate(1e-4);
    }

    /** Every backbone parameter of a stored model by name, running statistics included. */
    private Map<String, float[]> backboneParameters(ModelCard card) {
        Map<String, float[]> out = new LinkedHashMap<>();
        try (Network network = trainer.store().openNetwork(card, Device.cpu())) {
            for (Pair<String, Parameter> p : network.backbone().getParameters()) {
                NDArray a = p.getValue().getArray();
                out.put(p.getKey() + (Backbone.isRunningStatistic(p.getValue()) ? "#stat" : ""), a.toFloatArray());
            }
        }
        return out;
    }

    private static boolean isRunningStatistic(String key) {
        return key.endsWith("#stat");
    }
}
