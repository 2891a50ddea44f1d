package io.transferlab.chapter.protocol;

import io.transferlab.contracts.train.RunSpec;
import io.transferlab.vision.data.DatasetCatalog;
import io.transferlab.vision.data.LabeledImages;
import io.transferlab.vision.image.ImageDecoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The chapter's own protocol: CIFAR-10 [1:2000] for training and 2,000 test images; the small CNN from scratch at
 * 32 px; ImageNet ResNet-50 (and VGG16) frozen at 224 px under Dense(256) + Dense(10) with a flatten head.
 * Needs CIFAR-10 and torchvision's ImageNet weights: installed under {@code data/}, or fetched on first use by the
 * services when they may download (TRANSFERLAB_OFFLINE=false).
 */
public final class BookProtocol implements Protocol {

    private final Path dataDir;
    private final int trainSize;
    private final int testSize;
    private final int epochs;

    public BookProtocol(Path dataDir, int trainSize, int testSize, int epochs) {
        this.dataDir = dataDir;
        this.trainSize = trainSize;
        this.testSize = testSize;
        this.epochs = epochs;
    }

    /** True when CIFAR-10 and the ImageNet ResNet-50 backbone are installed under {@code dataDir}. */
    public static boolean installed(Path dataDir, Path weightsDir) {
        Path cifar = dataDir.resolve("cifar10");
        boolean data = Files.exists(cifar.resolve("test_batch.bin"))
                || Files.exists(cifar.resolve("cifar-10-batches-bin/test_batch.bin"));
        return data && Files.exists(weightsDir.resolve("resnet50-imagenet-notop.pt"));
    }

    @Override
    public String name() {
        return "chapter (CIFAR-10 [1:2000], ImageNet ResNet-50 / VGG16 at 224 px)";
    }

    @Override
    public List<String> description() {
        return List.of("**Protocol: the chapter's own.** CIFAR-10's first " + trainSize + " training images and "
                + testSize + " test images; the small CNN from scratch at 32 px; ImageNet ResNet-50 and VGG16 "
                + "(torchvision's ImageNet weights) frozen at 224 px under a flatten + Dense(256) + Dense(10) head.");
    }

    @Override
    public boolean imagenetAvailable() {
        return true;
    }

    @Override
    public Optional<Step> sourcePretraining() {
        return Optional.empty();
    }

    private RunSpec.Builder cifar() {
        return RunSpec.builder().dataset("cifar10").trainSize(trainSize).sampling("first").testSize(testSize)
                .epochs(epochs).batchSize(32).validationSplit(0.2).seed(42L);
    }

    @Override
    public Step fromScratch() {
        return new Step("scratch", "Small CNN from scratch", cifar().backbone("small-cnn").weights("random")
                .imageSize(32).denseUnits(256).dropout(0.25).optimizer("rmsprop").build());
    }

    private RunSpec.Builder resnet(String optimizer) {
        return cifar().backbone("resnet50").weights("imagenet").freeze(true).imageSize(224).pooling("flatten")
                .denseUnits(256).optimizer(optimizer);
    }

    @Override
    public Step transfer(String optimizer, String sourceRunId) {
        return new Step("transfer-" + optimizer, "Frozen ImageNet ResNet-50 + dense head (" + optimizer + ")",
                resnet(optimizer).build());
    }

    @Override
    public Step tuningBase(String sourceRunId) {
        return new Step("grid", "Tuning grid on the frozen ResNet-50", resnet("rmsprop").build());
    }

    @Override
    public Map<String, List<Object>> grid() {
        return ChapterGrid.GRID;
    }

    @Override
    public List<Step> extraBackbones(String sourceRunId) {
        return List.of(
                new Step("vgg16", "Frozen ImageNet VGG16 + dense head (rmsprop)", cifar().backbone("vgg16")
                        .weights("imagenet").freeze(true).imageSize(224).pooling("flatten").denseUnits(256)
                        .optimizer("rmsprop").build()),
                // the step users reach for after the frozen head: the whole network at a small learning rate,
                // BatchNorm in inference mode (Keras' advice for fine-tuning)
                new Step("resnet50-finetuned", "ImageNet ResNet-50 + dense head, then fine-tuned (BatchNorm frozen)",
                        resnet("rmsprop").fineTuneEpochs(2).fineTuneLearningRate(1e-5)
                                .batchNorm(RunSpec.BATCH_NORM_FROZEN).build()));
    }

    @Override
    public List<Step> smallDataComparison(String sourceRunId) {
        return List.of();
    }

    @Override
    public LabeledImages targetSamples() {
        return new DatasetCatalog(dataDir, new ImageDecoder(8192)).load("cifar10", null).test();
    }

    @Override
    public Map<String, String> chapterFigures() {
        return ChapterGrid.CHAPTER_FIGURES;
    }
}
