package io.transferlab.vision.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.util.Pair;
import io.transferlab.contracts.classify.Prediction;
import io.transferlab.contracts.train.RunSpec;
import io.transferlab.contracts.train.TrainStage;
import io.transferlab.vision.Classifier;
import io.transferlab.vision.TestData;
import io.transferlab.vision.VisionSettings;
import io.transferlab.vision.data.DatasetCatalog;
import io.transferlab.vision.data.LabeledImages;
import io.transferlab.vision.image.DecodedImage;
import io.transferlab.vision.image.ImageDecoder;
import io.transferlab.vision.train.TrainingOutcome;
import io.transferlab.vision.train.TransferTrainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TorchScript paths on real MNIST images, with small TorchScript modules written by the test (CI has no
 * PyTorch for Python and no ImageNet weights): a {@code torchscript:} backbone frozen and then fine-tuned, the
 * {@code imagenet} weights lookup, the stored model's TorchScript backbone restored from the store, and the
 * ImageNet classifier's labels on the dog photo.
 */
class TorchScriptBackboneIT {

    @TempDir
    Path work;

    private VisionSettings settings;

    @BeforeEach
    void weights() throws Exception {
        settings = TestData.settings(work);
        Files.createDirectories(settings.weightsDir());
        TinyModules.tinyBackbone(7).write(settings.weightsDir().resolve("tiny.pt"));
        TinyModules.tinyBackbone(7).write(settings.weightsDir().resolve("resnet50-imagenet-notop.pt"));
        TinyModules.tinyImageNetClassifier(3).write(settings.weightsDir().resolve("resnet50-imagenet.pt"));
        TinyModules.tinyBatchNormBackbone(5).write(settings.weightsDir().resolve("tiny-bn.pt"));
    }

    private static RunSpec.Builder mnist() {
        return RunSpec.builder().dataset("mnist").trainSize(600).testSize(300).denseUnits(64).dropout(0.1)
                .optimizer("adam").learningRate(0.001).epochs(3).batchSize(32).validationSplit(0.2).seed(2L);
    }

    @Test
    void frozenThenFineTunedTorchScriptBackboneTrainsAndReloadsFromTheStore() {
        TransferTrainer trainer = TransferTrainer.create(settings);
        TrainingOutcome frozen = trainer.train("ts-frozen", "ts", mnist().backbone("torchscript:tiny.pt")
                .freeze(true).build(), null, null);
        TrainingOutcome tuned = trainer.train("ts-tuned", "ts", mnist().backbone("torchscript:tiny.pt")
                .freeze(true).fineTuneEpochs(2).fineTuneLearningRate(1e-4).build(), null, null);
        System.out.printf("torchscript:tiny.pt on 480 MNIST images: frozen %.4f, fine-tuned %.4f test accuracy%n",
                frozen.metrics().testAccuracy(), tuned.metrics().testAccuracy());
        assertThat(frozen.card().architecture()).isEqualTo("torchscript");
        assertThat(frozen.card().lineage()).isEqualTo("torchscript:tiny.pt");
        assertThat(frozen.metrics().testAccuracy()).as("chance is 0.1").isGreaterThan(0.5);
        assertThat(tuned.history()).hasSize(5);
        assertThat(tuned.history().get(4).stage()).isEqualTo(TrainStage.FINE_TUNE);
        assertThat(tuned.card().parameterCount()).isEqualTo(frozen.card().parameterCount());
        assertThat(changedParameters("tiny.pt", tuned)).as("fine-tuning trains the TorchScript backbone")
                .containsExactlyInAnyOrder("w1", "b1", "w2", "b2");
        assertThat(changedParameters("tiny.pt", frozen)).isEmpty();

        LabeledImages test = new DatasetCatalog(settings.dataDir(), new ImageDecoder(64)).load("mnist", null).test()
                .head(300);
        for (TrainingOutcome outcome : List.of(frozen, tuned)) {
            try (Classifier classifier = trainer.store().openClassifier("ts", outcome.modelVersion())) {
                List<DecodedImage> images = new ArrayList<>();
                for (int i = 0; i < test.size(); i++) {
                    images.add(test.image(i));
                }
                int correct = 0;
                List<List<Prediction>> predictions = classifier.classify(images, 1);
                for (int i = 0; i < test.size(); i++) {
                    correct += predictions.get(i).get(0).classIndex() == test.label(i) ? 1 : 0;
                }
                assertThat(correct / 300.0).isEqualTo(outcome.metrics().testAccuracy());
            }
        }
    }

    @Test
    void torchScriptBackboneWithBatchNormFineTunesInBothBatchNormModes() {
        TransferTrainer trainer = TransferTrainer.create(settings);
        for (String mode : List.of(RunSpec.BATCH_NORM_FROZEN, RunSpec.BATCH_NORM_TRAIN)) {
            TrainingOutcome tuned = trainer.train("ts-bn-" + mode, "ts-bn", mnist().epochs(2)
                    .backbone("torchscript:tiny-bn.pt").freeze(true).fineTuneEpochs(1).fineTuneLearningRate(1e-3)
                    .batchNorm(mode).build(), null, null);
            System.out.printf("torchscript:tiny-bn.pt fine-tuned, batch norm %s: test accuracy %.4f%n", mode,
                    tuned.metrics().testAccuracy());
            assertThat(tuned.card().spec().batchNorm()).isEqualTo(mode);
            assertThat(tuned.history()).last().extracting(h -> h.stage()).isEqualTo(TrainStage.FINE_TUNE);
            assertThat(tuned.metrics().testAccuracy()).as("chance is 0.1").isGreaterThan(0.5);
            assertThat(changedParameters("tiny-bn.pt", tuned)).as("scales, shifts and kernels train")
                    .containsExactlyInAnyOrder("w1", "g1", "b1", "w2", "g2", "b2");
        }
    }

    /** Names of the backbone parameters of a stored model that differ from those in the weights file. */
    private List<String> changedParameters(String file, TrainingOutcome outcome) {
        List<String> changed = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
                Network stored = TransferTrainer.create(settings).store().openNetwork(outcome.card(), Device.cpu())) {
            ParameterList original = Backbones.torchScript(settings.weightsDir().resolve(file), manager)
                    .getParameters();
            for (Pair<String, Parameter> p : original) {
                float[] before = p.getValue().getArray().toFloatArray();
                // the stored module's parameters carry the path of the blocks around them as a prefix
                Parameter restored = stored.backbone().getParameters().stream()
                        .filter(q -> q.getKey().equals(p.getKey()) || q.getKey().endsWith("_" + p.getKey()))
                        .map(Pair::getValue).findFirst().orElseThrow();
                float[] after = restored.getArray().toFloatArray();
                if (!Arrays.equals(before, after)) {
                    changed.add(p.getKey());
                }
            }
        }
        return changed;
    }

    @Test
    void imagenetWeightsResolveFromTheWeightsDirectory() {
        TrainingOutcome o = TransferTrainer.create(settings).train("inet", "inet", mnist().imageSize(32)
                .backbone("resnet50").weights("imagenet").build(), null, null);
        assertThat(o.card().lineage()).isEqualTo("imagenet:resnet50");
        assertThat(o.card().architecture()).isEqualTo("torchscript");
        assertThat(o.card().preprocessing()).isEqualTo("torch");
        assertThat(o.card().spec().freeze()).isTrue();
        assertThat(o.history()).hasSize(3);
    }

    @Test
    void imageNetClassifierRanksTheThousandClassesWithSynsets() throws Exception {
        byte[] dog = Files.readAllBytes(TestData.require("samples/dog.jpg").resolve("samples/dog.jpg"));
        try (Classifier resnet = ImageNetClassifiers.resnet50(settings)) {
            assertThat(resnet.modelId()).isEqualTo("imagenet-resnet50");
            assertThat(resnet.labels()).hasSize(1000);
            List<Prediction> top5 = resnet.classify(dog, 5);
            assertThat(top5).hasSize(5);
            for (Prediction p : top5) {
                assertThat(p.synset()).matches("n\\d{8}");
                assertThat(p.label()).isEqualTo(resnet.labels().get(p.classIndex()));
            }
            assertThat(top5.get(0).score()).isGreaterThanOrEqualTo(top5.get(4).score());
            double total = resnet.classify(dog, 1000).stream().mapToDouble(Prediction::score).sum();
            assertThat(total).isCloseTo(1.0, within(1e-3));
        }
    }
}
