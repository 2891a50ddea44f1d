package io.transferlab.contracts.train;

import java.util.List;

/**
 * Everything that defines a training run. Flat on purpose: each field is a flag that a tuning grid can vary
 * and that the runs table shows as a {@code flag_*} column. Absent fields take the defaults of
 * {@link #withDefaults()}; producers should send the resolved spec so that what is recorded is what ran.
 *
 * @param dataset {@code mnist}, {@code fashion-mnist}, {@code cifar10}, or {@code dataset:<id>} for an uploaded set
 * @param classes optional subset of the data set's class indices, relabelled 0..k-1 in the given order
 * @param trainSize how many training images to use (null: all); the validation split is taken from these
 * @param testSize how many test images to evaluate on (null: all)
 * @param sampling {@code first} (the first N, like R's {@code [1:N]}) or {@code stratified} (seeded, per class)
 * @param imageSize side in pixels the images are resized to (null: the data set's own size)
 * @param preprocessing {@code unit} (0..1), {@code caffe} (BGR, ImageNet mean subtracted), {@code torch}
 *        (0..1, ImageNet mean/std) or {@code none} (raw 0..255)
 * @param backbone {@code small-cnn}, {@code resnet18}, {@code resnet50}, {@code vgg16},
 *        {@code torchscript:<file>} (a file in the weights directory) or {@code run:<id>} (a model trained here)
 * @param weights {@code imagenet} or {@code random}; ignored for {@code run:} and {@code torchscript:} backbones
 * @param freeze keep the backbone's parameters fixed and train only the head
 * @param pooling how backbone features reach the head: {@code flatten} (the chapter) or {@code avg}
 * @param denseUnits units of the head's hidden dense layer (0: none, the head is a single softmax layer)
 * @param dropout dropout rate before the hidden and output dense layers, in [0, 1)
 * @param optimizer {@code rmsprop}, {@code adam} or {@code sgd}
 * @param learningRate the head's learning rate
 * @param momentum sgd momentum
 * @param epochs epochs of the first stage (the head, or the whole network when not frozen)
 * @param batchSize mini-batch size
 * @param validationSplit fraction of the training images held out for validation (Keras semantics: the last
 *        fraction, taken before shuffling)
 * @param seed seeds weight initialisation, shuffling, sampling and augmentation
 * @param augmentFlip random horizontal flips while training
 * @param augmentShift random shifts by up to this fraction of the side while training
 * @param earlyStoppingPatience stop after this many epochs without val_loss improving (null or 0: off)
 * @param fineTuneEpochs epochs of a second stage that unfreezes the backbone (0: no second stage)
 * @param fineTuneLearningRate the backbone's (smaller) learning rate in the second stage
 * @param batchNorm what a pretrained backbone's batch norms do while its weights train (fine-tuning, or
 *        {@code freeze=false}): {@code frozen} (inference mode: normalise with the pretrained running statistics
 *        and leave them unchanged; the default, as Keras advises) or {@code train} (batch statistics, running
 *        statistics updated). A backbone trained from scratch always trains its batch norms (default
 *        {@code train}); a frozen backbone always runs them in inference mode.
 */
public record RunSpec(
        String dataset,
        List<Integer> classes,
        Integer trainSize,
        Integer testSize,
        String sampling,
        Integer imageSize,
        String preprocessing,
        String backbone,
        String weights,
        Boolean freeze,
        String pooling,
        Integer denseUnits,
        Double dropout,
        String optimizer,
        Double learningRate,
        Double momentum,
        Integer epochs,
        Integer batchSize,
        Double validationSplit,
        Long seed,
        Boolean augmentFlip,
        Double augmentShift,
        Integer earlyStoppingPatience,
        Integer fineTuneEpochs,
        Double fineTuneLearningRate,
        String batchNorm) {

    public static final String SMALL_CNN = "small-cnn";
    public static final String RESNET18 = "resnet18";
    public static final String RESNET50 = "resnet50";
    public static final String VGG16 = "vgg16";
    public static final String TORCHSCRIPT_PREFIX = "torchscript:";
    public static final String RUN_PREFIX = "run:";
    public static final String DATASET_PREFIX = "dataset:";

    public static final List<String> BUILTIN_DATASETS = List.of("mnist", "fashion-mnist", "cifar10");
    public static final List<String> ARCHITECTURES = List.of(SMALL_CNN, RESNET18, RESNET50, VGG16);
    public static final List<String> WEIGHTS = List.of("imagenet", "random");
    public static final List<String> OPTIMIZERS = List.of("rmsprop", "adam", "sgd");
    public static final List<String> POOLINGS = List.of("flatten", "avg");
    public static final List<String> PREPROCESSINGS = List.of("unit", "caffe", "torch", "none");
    public static final List<String> SAMPLINGS = List.of("first", "stratified");
    public static final String BATCH_NORM_FROZEN = "frozen";
    public static final String BATCH_NORM_TRAIN = "train";
    public static final List<String> BATCH_NORM_MODES = List.of(BATCH_NORM_FROZEN, BATCH_NORM_TRAIN);

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** True when the backbone is a model trained here ({@code run:<id>}). */
    public boolean backboneIsRun() {
        return backbone != null && backbone.startsWith(RUN_PREFIX);
    }

    public boolean backboneIsTorchScript() {
        return backbone != null && backbone.startsWith(TORCHSCRIPT_PREFIX);
    }

    /** True when the backbone starts from learned weights rather than from scratch. */
    public boolean pretrained() {
        return backboneIsRun() || backboneIsTorchScript() || "imagenet".equals(weights);
    }

    /**
     * Fills every absent field with its documented default. Defaults that depend on other fields (weights,
     * freeze, preprocessing, learning rate) are derived from the fields given. Idempotent.
     */
    public RunSpec withDefaults() {
        Builder b = toBuilder();
        if (b.sampling == null) {
            b.sampling = "first";
        }
        if (b.backbone == null) {
            b.backbone = SMALL_CNN;
        }
        boolean fileBacked = b.backbone.startsWith(RUN_PREFIX) || b.backbone.startsWith(TORCHSCRIPT_PREFIX);
        if (b.weights == null && !fileBacked) {
            b.weights = SMALL_CNN.equals(b.backbone) ? "random" : "imagenet";
        }
        boolean pretrained = fileBacked || "imagenet".equals(b.weights);
        if (b.freeze == null) {
            b.freeze = pretrained;
        }
        if (b.preprocessing == null) {
            // torchvision's ImageNet weights (what README tells users to export) expect torch preprocessing.
            b.preprocessing = "imagenet".equals(b.weights) ? "torch" : "unit";
        }
        if (b.pooling == null) {
            b.pooling = "flatten";
        }
        if (b.denseUnits == null) {
            b.denseUnits = 256;
        }
        if (b.dropout == null) {
            b.dropout = 0.0;
        }
        if (b.optimizer == null) {
            b.optimizer = "rmsprop";
        }
        if (b.learningRate == null) {
            b.learningRate = "sgd".equals(b.optimizer) ? 0.01 : 0.001;
        }
        if (b.momentum == null) {
            b.momentum = "sgd".equals(b.optimizer) ? 0.9 : 0.0;
        }
        if (b.epochs == null) {
            b.epochs = 5;
        }
        if (b.batchSize == null) {
            b.batchSize = 32;
        }
        if (b.validationSplit == null) {
            b.validationSplit = 0.2;
        }
        if (b.seed == null) {
            b.seed = 42L;
        }
        if (b.augmentFlip == null) {
            b.augmentFlip = false;
        }
        if (b.augmentShift == null) {
            b.augmentShift = 0.0;
        }
        if (b.earlyStoppingPatience == null) {
            b.earlyStoppingPatience = 0;
        }
        if (b.fineTuneEpochs == null) {
            b.fineTuneEpochs = 0;
        }
        if (b.fineTuneLearningRate == null) {
            b.fineTuneLearningRate = b.learningRate / 10;
        }
        if (b.batchNorm == null) {
            b.batchNorm = pretrained ? BATCH_NORM_FROZEN : BATCH_NORM_TRAIN;
        }
        return b.build();
    }

    /** Builder in the style of DJL's model specs; every setter returns the builder. */
    public static final class Builder {
        private String dataset;
        private List<Integer> classes;
        private Integer trainSize;
        private Integer testSize;
        private String sampling;
        private Integer imageSize;
        private String preprocessing;
        private String backbone;
        private String weights;
        private Boolean freeze;
        private String pooling;
        private Integer denseUnits;
        private Double dropout;
        private String optimizer;
        private Double learningRate;
        private Double momentum;
        private Integer epochs;
        private Integer batchSize;
        private Double validationSplit;
        private Long seed;
        private Boolean augmentFlip;
        private Double augmentShift;
        private Integer earlyStoppingPatience;
        private Integer fineTuneEpochs;
        private Double fineTuneLearningRate;
        private String batchNorm;

        private Builder() {
        }

        private Builder(RunSpec s) {
            dataset = s.dataset;
            classes = s.classes;
            trainSize = s.trainSize;
            testSize = s.testSize;
            sampling = s.sampling;
            imageSize = s.imageSize;
            preprocessing = s.preprocessing;
            backbone = s.backbone;
            weights = s.weights;
            freeze = s.freeze;
            pooling = s.pooling;
            denseUnits = s.denseUnits;
            dropout = s.dropout;
            optimizer = s.optimizer;
            learningRate = s.learningRate;
            momentum = s.momentum;
            epochs = s.epochs;
            batchSize = s.batchSize;
            validationSplit = s.validationSplit;
            seed = s.seed;
            augmentFlip = s.augmentFlip;
            augmentShift = s.augmentShift;
            earlyStoppingPatience = s.earlyStoppingPatience;
            fineTuneEpochs = s.fineTuneEpochs;
            fineTuneLearningRate = s.fineTuneLearningRate;
            batchNorm = s.batchNorm;
        }

        public Builder dataset(String v) { dataset = v; return this; }
        public Builder classes(List<Integer> v) { classes = v == null ? null : List.copyOf(v); return this; }
        public Builder trainSize(Integer v) { trainSize = v; return this; }
        public Builder testSize(Integer v) { testSize = v; return this; }
        public Builder sampling(String v) { sampling = v; return this; }
        public Builder imageSize(Integer v) { imageSize = v; return this; }
        public Builder preprocessing(String v) { preprocessing = v; return this; }
        public Builder backbone(String v) { backbone = v; return this; }
        public Builder weights(String v) { weights = v; return this; }
        public Builder freeze(Boolean v) { freeze = v; return this; }
        public Builder pooling(String v) { pooling = v; return this; }
        public Builder denseUnits(Integer v) { denseUnits = v; return this; }
        public Builder dropout(Double v) { dropout = v; return this; }
        public Builder optimizer(String v) { optimizer = v; return this; }
        public Builder learningRate(Double v) { learningRate = v; return this; }
        public Builder momentum(Double v) { momentum = v; return this; }
        public Builder epochs(Integer v) { epochs = v; return this; }
        public Builder batchSize(Integer v) { batchSize = v; return this; }
        public Builder validationSplit(Double v) { validationSplit = v; return this; }
        public Builder seed(Long v) { seed = v; return this; }
        public Builder augmentFlip(Boolean v) { augmentFlip = v; return this; }
        public Builder augmentShift(Double v) { augmentShift = v; return this; }
        public Builder earlyStoppingPatience(Integer v) { earlyStoppingPatience = v; return this; }
        public Builder fineTuneEpochs(Integer v) { fineTuneEpochs = v; return this; }
        public Builder fineTuneLearningRate(Double v) { fineTuneLearningRate = v; return this; }
        public Builder batchNorm(String v) { batchNorm = v; return this; }

        public RunSpec build() {
            return new RunSpec(dataset, classes, trainSize, testSize, sampling, imageSize, preprocessing, backbone,
                    weights, freeze, pooling, denseUnits, dropout, optimizer, learningRate, momentum, epochs,
                    batchSize, validationSplit, seed, augmentFlip, augmentShift, earlyStoppingPatience,
                    fineTuneEpochs, fineTuneLearningRate, batchNorm);
        }
    }
}
