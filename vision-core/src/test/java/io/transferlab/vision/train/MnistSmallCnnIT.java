package io.transferlab.vision.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.transferlab.contracts.classify.Prediction;
import io.transferlab.contracts.train.EpochMetrics;
import io.transferlab.contracts.train.RunSpec;
import io.transferlab.vision.Classifier;
import io.transferlab.vision.TestData;
import io.transferlab.vision.VisionSettings;
import io.transferlab.vision.data.DatasetCatalog;
import io.transferlab.vision.data.LabeledImages;
import io.transferlab.vision.image.DecodedImage;
import io.transferlab.vision.image.ImageDecoder;
import io.transferlab.vision.store.ModelCard;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chapter's small CNN from scratch on 2,000 real MNIST training images, tested on 2,000 test images; then the
 * published model is reopened from the store and classifies the test images exactly as the trainer evaluated them.
 */
class MnistSmallCnnIT {

    @TempDir
    Path work;

    @Test
    void smallCnnOn2000MnistImagesReachesNinetyPercentAndServesFromTheStore() {
        VisionSettings settings = TestData.settings(work);
        TransferTrainer trainer = TransferTrainer.create(settings);
        RunSpec spec = RunSpec.builder()
                .dataset("mnist").trainSize(2000).testSize(2000)
                .backbone("small-cnn").weights("random")
                .denseUnits(256).dropout(0.25)
                .optimizer("rmsprop").learningRate(0.001)
                .epochs(8).batchSize(32).validationSplit(0.2).seed(7L)
                .build();
        List<EpochMetrics> heard = new ArrayList<>();
        TrainingOutcome outcome = trainer.train("run-mnist-1", "mnist-cnn", spec,
                new TrainingListener() {
                    @Override
                    public void onStart(String runId, int trainImages, int validationImages, int testImages,
                            String device) {
                        // Keras' validation_split: the last 20% of the 2,000, before shuffling
                        assertThat(new int[] {trainImages, validationImages, testImages})
                                .containsExactly(1600, 400, 2000);
                    }

                    @Override
                    public void onEpoch(EpochMetrics metrics, int totalEpochs, double imagesPerSecond) {
                        heard.add(metrics);
                        assertThat(totalEpochs).isEqualTo(8);
                        assertThat(imagesPerSecond).isPositive();
                    }
                }, CancellationToken.none());

        System.out.printf("MNIST small-cnn, 1,600 train + 400 validation images, 8 epochs: test accuracy %.4f, "
                + "test loss %.4f, train accuracy %.4f, %.0f img/s, %d ms%n", outcome.metrics().testAccuracy(),
                outcome.metrics().testLoss(), outcome.metrics().trainAccuracy(), outcome.imagesPerSecond(),
                outcome.durationMs());
        assertThat(outcome.metrics().testAccuracy()).isGreaterThanOrEqualTo(0.90);
        assertThat(outcome.history()).hasSize(8).isEqualTo(heard);
        assertThat(outcome.history().get(7).loss()).isLessThan(outcome.history().get(0).loss());
        assertThat(outcome.confusionMatrix().total()).isEqualTo(2000);
        assertThat(outcome.modelVersion()).isEqualTo(1);
        assertThat(outcome.device()).isEqualTo("cpu()");

        ModelCard card = trainer.store().find("mnist-cnn", 1).orElseThrow();
        assertThat(card.runId()).isEqualTo("run-mnist-1");
        assertThat(card.classNames()).isEqualTo(DatasetCatalog.MNIST_CLASSES);
        assertThat(card.imageSize()).isEqualTo(28);
        assertThat(card.lineage()).isEqualTo("random");

        LabeledImages test = new DatasetCatalog(settings.dataDir(), new ImageDecoder(64)).load("mnist", null).test()
                .head(2000);
        try (Classifier classifier = trainer.store().openClassifier("mnist-cnn")) {
            int correct = 0;
            for (int from = 0; from < test.size(); from += 100) {
                List<DecodedImage> batch = new ArrayList<>();
                for (int i = from; i < from + 100; i++) {
                    batch.add(test.image(i));
                }
                List<List<Prediction>> predictions = classifier.classify(batch, 3);
                for (int i = 0; i < batch.size(); i++) {
                    assertThat(predictions.get(i)).hasSize(3);
                    if (predictions.get(i).get(0).classIndex() == test.label(from + i)) {
                        correct++;
                    }
                }
            }
            double accuracy = correct / 2000.0;
            System.out.printf("reloaded classifier: accuracy %.4f on the same 2,000 test images%n", accuracy);
            assertThat(accuracy).isEqualTo(outcome.metrics().testAccuracy());
        }
    }
}
