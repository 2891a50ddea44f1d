package io.transferlab.vision.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.transferlab.contracts.train.EpochMetrics;
import io.transferlab.contracts.train.RunSpec;
import io.transferlab.vision.TestData;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The big architectures train from scratch with gradients through every layer (ResNet-50's batch norms included):
 * a few real Fashion-MNIST images at 32 px, the same images each epoch, and the training loss falls.
 */
class FromScratchBackbonesIT {

    @TempDir
    Path work;

    @ParameterizedTest
    @ValueSource(strings = {"resnet50", "vgg16"})
    void trainsFromScratchAndItsLossFalls(String architecture) {
        TrainingOutcome o = TransferTrainer.create(TestData.settings(work)).train("scratch-" + architecture,
                "scratch-" + architecture, RunSpec.builder().dataset("fashion-mnist").classes(List.of(0, 1))
                        .trainSize(32).sampling("stratified").testSize(32).imageSize(32).backbone(architecture)
                        .weights("random").freeze(false).pooling("avg").denseUnits(0).optimizer("adam")
                        .learningRate(1e-4).epochs(3).batchSize(16).validationSplit(0.0).seed(3L).build(),
                TrainingListener.NONE, CancellationToken.none());
        List<Double> losses = o.history().stream().map(EpochMetrics::loss).toList();
        System.out.printf("%s from scratch, 32 images at 32 px: training loss per epoch %s (%d ms)%n", architecture,
                losses, o.durationMs());
        assertThat(o.card().spec().batchNorm()).isEqualTo(RunSpec.BATCH_NORM_TRAIN);
        assertThat(losses).hasSize(3);
        assertThat(losses.get(2)).isLessThan(losses.get(0));
    }
}
