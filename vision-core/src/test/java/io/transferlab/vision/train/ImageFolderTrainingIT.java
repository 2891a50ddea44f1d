package io.transferlab.vision.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.transferlab.contracts.classify.Prediction;
import io.transferlab.contracts.train.EpochMetrics;
import io.transferlab.contracts.train.RunSpec;
import io.transferlab.vision.Classifier;
import io.transferlab.vision.DeviceMode;
import io.transferlab.vision.TestData;
import io.transferlab.vision.TrainingCancelledException;
import io.transferlab.vision.VisionSettings;
import io.transferlab.vision.data.DatasetCatalog;
import io.transferlab.vision.data.LabeledImages;
import io.transferlab.vision.image.DecodedImage;
import io.transferlab.vision.image.ImageDecoder;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An uploaded data set (class folders of PNG files, here real MNIST digits written by the test) trained with shift
 * augmentation and early stopping, served from the store on image bytes; and a run cancelled mid-way.
 */
class ImageFolderTrainingIT {

    private static final Map<String, Integer> DIGITS = Map.of("one", 1, "seven", 7, "zero", 0);

    @TempDir
    Path data;

    @TempDir
    Path work;

    private VisionSettings settings;
    private LabeledImages mnistTest;

    @BeforeEach
    void writeUpload() throws IOException {
        DatasetCatalog real = new DatasetCatalog(TestData.require("mnist"), new ImageDecoder(64));
        LabeledImages train = real.load("mnist", null).train();
        mnistTest = real.load("mnist", null).test();
        writeFolder(train, data.resolve("uploads/digits/train"), 80);
        writeFolder(mnistTest, data.resolve("uploads/digits/test"), 30);
        settings = VisionSettings.builder().dataDir(data).modelStoreDir(work.resolve("models"))
                .featureCacheDir(work.resolve("features")).deviceMode(DeviceMode.CPU).build();
    }

    @Test
    void trainsOnUploadedFoldersWithAugmentationStopsEarlyAndClassifiesImageBytes() throws IOException {
        RunSpec spec = RunSpec.builder().dataset("dataset:digits").imageSize(32)
                .backbone("small-cnn").weights("random").denseUnits(64).dropout(0.25)
                .optimizer("adam").epochs(40).batchSize(16).validationSplit(0.2).seed(4L)
                .augmentShift(0.1).earlyStoppingPatience(2)
                .build();
        TrainingOutcome outcome = TransferTrainer.create(settings).train("folder-run", "digits", spec, null, null);
        System.out.printf("uploaded digits (240 PNG files, 3 classes): stopped after %d of 40 epochs, test accuracy "
                + "%.4f, per class %s%n", outcome.history().size(), outcome.metrics().testAccuracy(),
                outcome.perClassAccuracy());
        assertThat(outcome.classNames()).containsExactly("one", "seven", "zero");
        assertThat(outcome.history().size()).isLessThan(40);
        assertThat(outcome.metrics().testAccuracy()).isGreaterThan(0.85);
        assertThat(outcome.confusionMatrix().total()).isEqualTo(90);
        assertThat(outcome.perClassAccuracy()).allSatisfy(c -> assertThat(c.support()).isEqualTo(30));

        try (Classifier classifier = TransferTrainer.create(settings).store().openClassifier("digits", 1)) {
            int correct = 0;
            int tried = 0;
            for (int i = 0; i < 400 && tried < 60; i++) {
                int label = mnistTest.label(i);
                String name = DIGITS.entrySet().stream().filter(e -> e.getValue() == label).map(Map.Entry::getKey)
                        .findFirst().orElse(null);
                if (name == null) {
                    continue;
                }
                tried++;
                List<Prediction> top = classifier.classify(png(mnistTest.image(i)), 3);
                assertThat(top).hasSize(3);
                assertThat(top.get(0).score()).isGreaterThanOrEqualTo(top.get(1).score());
                assertThat(top.stream().mapToDouble(Prediction::score).sum()).isCloseTo(1.0,
                        org.assertj.core.api.Assertions.within(1e-4));
                correct += top.get(0).label().equals(name) ? 1 : 0;
            }
            System.out.printf("classify(bytes) on 60 MNIST test digits of those classes: %d correct%n", correct);
            assertThat(correct).isGreaterThan(48);
        }
    }

    @Test
    void aRunCancelledAfterItsFirstEpochStopsAndPublishesNothing() {
        CancellationToken token = new CancellationToken();
        RunSpec spec = RunSpec.builder().dataset("dataset:digits").imageSize(28).backbone("small-cnn")
                .weights("random").epochs(10).batchSize(16).seed(1L).build();
        TransferTrainer trainer = TransferTrainer.create(settings);
        int[] epochsSeen = {0};
        assertThatThrownBy(() -> trainer.train("cancel-run", "cancelled", spec, new TrainingListener() {
            @Override
            public void onEpoch(EpochMetrics metrics, int totalEpochs, double imagesPerSecond) {
                epochsSeen[0]++;
                token.cancel("stop requested by the test");
            }
        }, token)).isInstanceOf(TrainingCancelledException.class).hasMessageContaining("stop requested by the test");
        assertThat(epochsSeen[0]).isEqualTo(1);
        assertThat(trainer.store().latest("cancelled")).isEmpty();
    }

    private static void writeFolder(LabeledImages images, Path root, int perClass) throws IOException {
        for (Map.Entry<String, Integer> e : DIGITS.entrySet()) {
            Path dir = Files.createDirectories(root.resolve(e.getKey()));
            int written = 0;
            for (int i = images.size() - 1; i >= 0 && written < perClass; i--) {
                if (images.label(i) == e.getValue()) {
                    Files.write(dir.resolve(i + ".png"), png(images.image(i)));
                    written++;
                }
            }
        }
    }

    private static byte[] png(DecodedImage image) throws IOException {
        BufferedImage img = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_BYTE_GRAY);
        img.getRaster().setDataElements(0, 0, image.width(), image.height(), image.pixels());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }
}
