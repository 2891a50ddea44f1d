package io.transferlab.chapter.protocol;

import io.transferlab.contracts.train.RunSpec;
import io.transferlab.vision.data.DatasetCatalog;
import io.transferlab.vision.data.LabeledImages;
import io.transferlab.vision.data.Sampling;
import io.transferlab.vision.image.ImageDecoder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The chapter's steps on data that can be had without internet access to dataset hosts: a small CNN pre-trained
 * on Fashion-MNIST's first five classes (T-shirt, trouser, pullover, dress, coat) is the "pretrained network",
 * and the target task is the other five (sandal, shirt, sneaker, bag, ankle boot) with the chapter's 2,000
 * training and 2,000 test images: a related domain, like ImageNet and CIFAR-10.
 *
 * <p>With backbone {@code resnet18} the pretrained network is a ResNet-18 trained from scratch on the source classes
 * (32 px, BatchNorm training), and the comparison the book makes with ResNet-50 is made with it: ResNet-18 from
 * scratch, frozen + head, and fine-tuned (BatchNorm frozen and training), at 2,000 and at 200 target images.
 */
public final class OfflineProtocol implements Protocol {

    static final List<Integer> SOURCE = List.of(0, 1, 2, 3, 4);
    static final List<Integer> TARGET = List.of(5, 6, 7, 8, 9);

    private final Path dataDir;
    private final int trainSize;
    private final int testSize;
    private final int epochs;
    private final boolean resnet;

    public OfflineProtocol(Path dataDir, int trainSize, int testSize, int epochs) {
        this(dataDir, trainSize, testSize, epochs, "small-cnn");
    }

    /** {@code backbone}: {@code small-cnn} (the chapter's small CNN) or {@code resnet18}. */
    public OfflineProtocol(Path dataDir, int trainSize, int testSize, int epochs, String backbone) {
        if (!List.of("small-cnn", "resnet18").contains(backbone)) {
            throw new IllegalArgumentException("--backbone must be small-cnn or resnet18, not '" + backbone + "'");
        }
        this.dataDir = dataDir;
        this.trainSize = trainSize;
        this.testSize = testSize;
        this.epochs = epochs;
        this.resnet = backbone.equals("resnet18");
    }

    @Override
    public String name() {
        return "offline (Fashion-MNIST 0-4 -> 5-9" + (resnet ? ", ResNet-18 backbone)" : ")");
    }

    @Override
    public List<String> description() {
        return List.of(
                "**Protocol: offline.** CIFAR-10 and ImageNet weights are not installed on this machine (nothing can "
                        + "download them here), so the chapter's steps run on the real data that can be had offline. "
                        + "The \"pretrained network\" is " + (resnet ? "a ResNet-18 (32 px) trained from scratch"
                        : "the chapter's small CNN trained") + " on Fashion-MNIST classes 0-4 "
                        + "(T-shirt/top, Trouser, Pullover, Dress, Coat; 27,000 training images); "
                        + "the small target task is classes 5-9 (Sandal, Shirt, Sneaker, Bag, Ankle boot) with "
                        + trainSize + " training images (stratified) and " + testSize + " test images, as the chapter's CIFAR-10 "
                        + "[1:2000].",
                "Put CIFAR-10 (binary version) into `data/cifar10/` and torchvision's ImageNet ResNet-50/VGG16 as "
                        + "TorchScript into `data/weights/` (see README, \"Data and weights\") and the same command "
                        + "runs the chapter's own protocol.");
    }

    @Override
    public boolean imagenetAvailable() {
        return false;
    }

    @Override
    public Optional<Step> sourcePretraining() {
        if (resnet) {
            return Optional.of(new Step("source", "Pre-train the backbone: ResNet-18 from scratch (32 px) on "
                    + "Fashion-MNIST classes 0-4", resnet18Scratch(RunSpec.builder().dataset("fashion-mnist")
                            .classes(SOURCE).testSize(2000).epochs(2).batchSize(32).validationSplit(0.1).seed(1L))
                    .build()));
        }
        return Optional.of(new Step("source", "Pre-train the backbone: small CNN on Fashion-MNIST classes 0-4",
                RunSpec.builder().dataset("fashion-mnist").classes(SOURCE).testSize(2000).backbone("small-cnn")
                        .weights("random").denseUnits(256).dropout(0.25).optimizer("adam").learningRate(0.001)
                        .epochs(2).batchSize(64).validationSplit(0.1).seed(1L).build()));
    }

    private RunSpec.Builder target() {
        RunSpec.Builder b = RunSpec.builder().dataset("fashion-mnist").classes(TARGET).trainSize(trainSize)
                .sampling("stratified").testSize(testSize).epochs(epochs).batchSize(32).validationSplit(0.2).seed(42L);
        // the ResNet-18 source was trained at 32 px: its backbone sees target images at the same size
        return resnet ? b.imageSize(32) : b;
    }

    /** ResNet-18 from scratch: BatchNorm trains, global average pooling, softmax head, Adam. */
    private static RunSpec.Builder resnet18Scratch(RunSpec.Builder b) {
        return b.backbone("resnet18").weights("random").freeze(false).imageSize(32).pooling("avg").denseUnits(0)
                .optimizer("adam").learningRate(0.001);
    }

    /** The frozen source backbone, then its whole network fine-tuned at a tenth of the learning rate. */
    private static RunSpec.Builder fineTuned(RunSpec.Builder b, String sourceRunId, String batchNorm) {
        return b.backbone("run:" + sourceRunId).weights(null).freeze(true).fineTuneEpochs(3)
                .fineTuneLearningRate(1e-4).batchNorm(batchNorm);
    }

    /** ResNet-18 from scratch and the two fine-tuning modes on {@code b}'s target images (the ResNet comparison). */
    private List<Step> resnetSteps(RunSpec.Builder b, String sourceRunId, String suffix, String images) {
        return List.of(
                new Step("resnet18-scratch" + suffix, "ResNet-18 from scratch" + images,
                        resnet18Scratch(b.build().toBuilder()).build()),
                new Step("finetuned-bn-frozen" + suffix, "Frozen pretrained ResNet-18 + head, then fine-tuned "
                        + "(BatchNorm frozen)" + images,
                        fineTuned(b.build().toBuilder(), sourceRunId, RunSpec.BATCH_NORM_FROZEN).build()),
                new Step("finetuned-bn-train" + suffix, "Frozen pretrained ResNet-18 + head, then fine-tuned "
                        + "(BatchNorm training)" + images,
                        fineTuned(b.build().toBuilder(), sourceRunId, RunSpec.BATCH_NORM_TRAIN).build()));
    }

    @Override
    public Step fromScratch() {
        return new Step("scratch", "Small CNN from scratch",
                target().backbone("small-cnn").weights("random").denseUnits(256).dropout(0.25).optimizer("rmsprop")
                        .build());
    }

    @Override
    public Step transfer(String optimizer, String sourceRunId) {
        return new Step("transfer-" + optimizer, "Frozen pretrained backbone + dense head (" + optimizer + ")",
                target().backbone("run:" + sourceRunId).freeze(true).denseUnits(256).dropout(0.0).optimizer(optimizer)
                        .build());
    }

    @Override
    public Step tuningBase(String sourceRunId) {
        return new Step("grid", "Tuning grid", target().backbone("run:" + sourceRunId).freeze(true)
                .optimizer("rmsprop").build());
    }

    @Override
    public Map<String, List<Object>> grid() {
        return ChapterGrid.GRID;
    }

    @Override
    public List<Step> extraBackbones(String sourceRunId) {
        return resnet ? resnetSteps(target().denseUnits(256).dropout(0.0), sourceRunId, "", "") : List.of();
    }

    /**
     * 200 target images (40 a class), 15 epochs: Fashion-MNIST's target classes are easy enough that a small CNN
     * from scratch does well with 2,000 images; with 200 the pretrained backbone's features pay off.
     */
    @Override
    public List<Step> smallDataComparison(String sourceRunId) {
        RunSpec.Builder small = target().trainSize(200).epochs(15).batchSize(16).validationSplit(0.0)
                .denseUnits(256).dropout(0.25).optimizer("adam");
        List<Step> steps = new ArrayList<>(List.of(
                new Step("scratch-200", "Small CNN from scratch, 200 training images",
                        small.backbone("small-cnn").weights("random").build()),
                new Step("transfer-200", "Frozen pretrained backbone + dense head, 200 training images",
                        small.backbone("run:" + sourceRunId).weights(null).freeze(true).build())));
        if (resnet) {
            steps.addAll(resnetSteps(target().trainSize(200).epochs(15).batchSize(16).validationSplit(0.0)
                    .denseUnits(256).dropout(0.25).optimizer("adam"), sourceRunId, "-200", ", 200 training images"));
        }
        return steps;
    }

    @Override
    public LabeledImages targetSamples() {
        try {
            LabeledImages test = new DatasetCatalog(dataDir, new ImageDecoder(8192)).load("fashion-mnist", null).test();
            return Sampling.classes(test, TARGET);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot read Fashion-MNIST from " + dataDir
                    + " (run deploy/local/fetch-data): " + e.getMessage(), e);
        }
    }

    @Override
    public Map<String, String> chapterFigures() {
        return ChapterGrid.CHAPTER_FIGURES;
    }

}
