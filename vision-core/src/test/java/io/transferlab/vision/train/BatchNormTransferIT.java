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
 * classes 5-9 with 200 training images, frozen under a new head and fine-tuned with its batch norms frozen and
 * trained, against the same ResNet-18 from scratch on the same 200 images with the same seed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BatchNormTransferIT {

    private static final List<Integer> SOURCE_CLASSES = List.of(0, 1, 2, 3, 4);
    private static final List<Integer> TARGET_CLASSES = List.of(5, 6, 7, 8, 9);
    private static final String SOURCE = "run:resnet18-source";

    @TempDir
    static Path work;

    private TransferTrainer trainer;
    private TrainingOutcome source;

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
     * The transfer runs train in both batch-norm modes (the bug: any BatchNorm network with gradients on failed), and
     * fine-tuning improves on the frozen head. Whether transfer beats training from scratch depends on the source:
     * with this small one (5,000 images, 2 epochs, kept small for CI) ResNet-18 from scratch on 200 images of these
     * easy classes scored 0.889 against 0.732 frozen and 0.830 / 0.848 fine-tuned (see docs/vision-core.md); the
     * figures are printed, not asserted.
     */
    @Test
    void transferredResNet18TrainsInBothBatchNormModesAndFineTuningBeatsTheFrozenHead() {
        TrainingOutcome scratch = trainer.train("t-scratch", "t-scratch", target().backbone("resnet18")
                .weights("random").freeze(false).build(), TrainingListener.NONE, CancellationToken.none());
        TrainingOutcome frozen = trainer.train("t-frozen", "t-frozen", target().backbone(SOURCE).freeze(true)
                .build(), TrainingListener.NONE, CancellationToken.none());
        TrainingOutcome tunedFrozenBn = trainer.train("t-tuned-bn-frozen", "t-tuned", fineTuned()
                .batchNorm(RunSpec.BATCH_NORM_FROZEN).build(), TrainingListener.NONE, CancellationToken.none());
        TrainingOutcome tunedTrainBn = trainer.train("t-tuned-bn-train", "t-tuned", fineTuned()
                .batchNorm(RunSpec.BATCH_NORM_TRAIN).build(), TrainingListener.NONE, CancellationToken.none());
        System.out.printf("classes 5-9, 200 images, seed 7: resnet18 from scratch %.4f, frozen + head %.4f, "
                + "fine-tuned (batch norm frozen) %.4f, fine-tuned (batch norm train) %.4f%n",
                scratch.metrics().testAccuracy(), frozen.metrics().testAccuracy(),
                tunedFrozenBn.metrics().testAccuracy(), tunedTrainBn.metrics().testAccuracy());
        assertThat(scratch.metrics().testAccuracy()).isGreaterThan(0.5);
        assertThat(tunedFrozenBn.metrics().testAccuracy()).isGreaterThan(frozen.metrics().testAccuracy());
        assertThat(tunedTrainBn.metrics().testAccuracy()).isGreaterThan(frozen.metrics().testAccuracy());
        assertThat(tunedTrainBn.history()).last().extracting(h -> h.stage()).isEqualTo(TrainStage.FINE_TUNE);
        assertThat(frozen.card().spec().batchNorm()).isEqualTo(RunSpec.BATCH_NORM_FROZEN);
    }

    @Test
    void fineTuningChangesWeightsAndKeepsRunningStatisticsOnlyWhenBatchNormIsFrozen() {
        TrainingOutcome keep = trainer.train("bn-frozen", "bn-frozen", fineTuned()
                .batchNorm(RunSpec.BATCH_NORM_FROZEN).build(), TrainingListener.NONE, CancellationToken.none());
        TrainingOutcome train = trainer.train("bn-train", "bn-train", fineTuned()
                .batchNorm(RunSpec.BATCH_NORM_TRAIN).build(), TrainingListener.NONE, CancellationToken.none());
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

    private RunSpec.Builder target() {
        return RunSpec.builder().dataset("fashion-mnist").classes(TARGET_CLASSES).trainSize(200)
                .sampling("stratified").testSize(1000).imageSize(32).pooling("avg").denseUnits(0)
                .optimizer("adam").learningRate(0.001).epochs(10).batchSize(16).validationSplit(0.0).seed(7L);
    }

    private RunSpec.Builder fineTuned() {
        return target().backbone(SOURCE).freeze(true).fineTuneEpochs(3).fineTuneLearningRate(1e-4);
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
