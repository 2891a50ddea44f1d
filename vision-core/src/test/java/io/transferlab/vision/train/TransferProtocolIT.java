package io.transferlab.vision.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.transferlab.contracts.train.RunSpec;
import io.transferlab.contracts.train.TrainStage;
import io.transferlab.vision.TestData;
import io.transferlab.vision.VisionSettings;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The documented transfer protocol (docs/vision-core.md): a small CNN pre-trained on Fashion-MNIST classes 0-4
 * (T-shirt, trouser, pullover, dress, coat; all 30,000 training images, 2 epochs) transfers to classes 5-9
 * (sandal, shirt, sneaker, bag, ankle boot) with only 200 target images: its frozen convolutional backbone with a
 * new head beats the same architecture trained from scratch on the same 200 images, over three seeds, tested on
 * 2,000 target test images. The second stage (fine-tuning the backbone at a tenth of the head's learning rate)
 * is run and reported too.
 */
class TransferProtocolIT {

    private static final List<Integer> SOURCE_CLASSES = List.of(0, 1, 2, 3, 4);
    private static final List<Integer> TARGET_CLASSES = List.of(5, 6, 7, 8, 9);

    @TempDir
    Path work;

    @Test
    void frozenBackbonePretrainedOnRelatedClassesBeatsTheSameArchitectureFromScratch() {
        VisionSettings settings = TestData.settings(work);
        TransferTrainer trainer = TransferTrainer.create(settings);
        TrainingOutcome source = trainer.train("fmnist-source", "fmnist-source", RunSpec.builder()
                .dataset("fashion-mnist").classes(SOURCE_CLASSES).testSize(1000)
                .backbone("small-cnn").weights("random").denseUnits(256).dropout(0.25)
                .optimizer("adam").learningRate(0.001).epochs(2).batchSize(64).validationSplit(0.1).seed(1L)
                .build(), TrainingListener.NONE, CancellationToken.none());
        System.out.printf("source: small-cnn on Fashion-MNIST classes 0-4, 27,000 train images, 2 epochs: "
                + "test accuracy %.4f (%d ms)%n", source.metrics().testAccuracy(), source.durationMs());
        assertThat(source.metrics().testAccuracy()).isGreaterThan(0.85);

        double[] frozen = new double[3];
        double[] scratch = new double[3];
        double[] fineTuned = new double[3];
        int frozenWins = 0;
        for (int i = 0; i < 3; i++) {
            long seed = i + 1;
            TrainingOutcome f = trainer.train("frozen-" + seed, "fmnist-target", target(seed)
                    .backbone("run:fmnist-source").freeze(true).build(), TrainingListener.NONE,
                    CancellationToken.none());
            TrainingOutcome s = trainer.train("scratch-" + seed, "fmnist-scratch", target(seed)
                    .backbone("small-cnn").weights("random").build(), TrainingListener.NONE,
                    CancellationToken.none());
            TrainingOutcome t = trainer.train("finetuned-" + seed, "fmnist-finetuned", target(seed)
                    .backbone("run:fmnist-source").freeze(true).fineTuneEpochs(5).fineTuneLearningRate(1e-4)
                    .build(), TrainingListener.NONE, CancellationToken.none());
            frozen[i] = f.metrics().testAccuracy();
            scratch[i] = s.metrics().testAccuracy();
            fineTuned[i] = t.metrics().testAccuracy();
            frozenWins += frozen[i] > scratch[i] ? 1 : 0;
            System.out.printf("target seed %d, 200 images of classes 5-9: frozen transferred %.4f, small-cnn from "
                    + "scratch %.4f, fine-tuned %.4f%n", seed, frozen[i], scratch[i], fineTuned[i]);
            assertThat(f.card().lineage()).isEqualTo("run:fmnist-source");
            assertThat(f.card().architecture()).isEqualTo("small-cnn");
            assertThat(t.history()).hasSize(20);
            assertThat(t.history().get(19).stage()).isEqualTo(TrainStage.FINE_TUNE);
        }
        double frozenMean = mean(frozen);
        double scratchMean = mean(scratch);
        System.out.printf("transfer protocol, mean of 3 seeds: frozen transferred %.4f, from scratch %.4f, "
                + "fine-tuned %.4f; frozen won %d of 3%n", frozenMean, scratchMean, mean(fineTuned), frozenWins);
        assertThat(frozenMean).isGreaterThan(scratchMean);
        assertThat(frozenWins).isGreaterThanOrEqualTo(2);

        TrainingOutcome again = trainer.train("frozen-1-again", "fmnist-target", target(1L)
                .backbone("run:fmnist-source").freeze(true).build(), TrainingListener.NONE, CancellationToken.none());
        assertThat(again.metrics().testAccuracy()).as("same seed, same result").isEqualTo(frozen[0]);
    }

    private static RunSpec.Builder target(long seed) {
        return RunSpec.builder()
                .dataset("fashion-mnist").classes(TARGET_CLASSES).trainSize(200).sampling("stratified").testSize(2000)
                .denseUnits(256).dropout(0.25).optimizer("adam").learningRate(0.001)
                .epochs(15).batchSize(16).validationSplit(0.0).seed(seed);
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }
}
