package io.transferlab.vision.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import io.transferlab.contracts.train.ClassAccuracy;
import io.transferlab.contracts.train.ConfusionMatrix;
import io.transferlab.contracts.train.EpochMetrics;
import io.transferlab.contracts.train.FinalMetrics;
import io.transferlab.contracts.train.RunSpec;
import io.transferlab.contracts.train.TrainStage;
import io.transferlab.contracts.validation.MessageValidator;
import io.transferlab.contracts.validation.Violation;
import io.transferlab.contracts.validation.Violations;
import io.transferlab.vision.Devices;
import io.transferlab.vision.Engines;
import io.transferlab.vision.InvalidSpecException;
import io.transferlab.vision.LibraryVersions;
import io.transferlab.vision.VisionException;
import io.transferlab.vision.VisionSettings;
import io.transferlab.vision.cache.FeatureCache;
import io.transferlab.vision.cache.FeatureKey;
import io.transferlab.vision.cache.FeatureSet;
import io.transferlab.vision.data.Augmenter;
import io.transferlab.vision.data.BatchSource;
import io.transferlab.vision.data.DatasetCatalog;
import io.transferlab.vision.data.ImageBatchSource;
import io.transferlab.vision.data.LabeledImages;
import io.transferlab.vision.data.Sampling;
import io.transferlab.vision.data.TrainTestData;
import io.transferlab.vision.eval.ConfusionMatrices;
import io.transferlab.vision.eval.Evaluation;
import io.transferlab.vision.eval.Evaluator;
import io.transferlab.vision.image.ImageDecoder;
import io.transferlab.vision.image.Preprocessing;
import io.transferlab.vision.model.Architecture;
import io.transferlab.vision.model.EngineFailures;
import io.transferlab.vision.model.HeadSpec;
import io.transferlab.vision.model.Network;
import io.transferlab.vision.model.NetworkSpec;
import io.transferlab.vision.model.Pooling;
import io.transferlab.vision.store.ModelCard;
import io.transferlab.vision.store.ModelStore;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one training run end to end: checks the spec, loads and samples the data, builds the backbone and head,
 * trains (on cached frozen features when it can), optionally fine-tunes, evaluates on the training and test
 * images, and publishes the model into the store. Stateless between runs and safe to call from several worker
 * threads at once (each run has its own model, native memory scopes and random streams).
 */
public final class TransferTrainer {

    private static final Logger LOG = LoggerFactory.getLogger(TransferTrainer.class);
    /** Images per forward pass when only inference is needed (evaluation, feature extraction). */
    private static final int IMAGE_EVAL_BATCH = 32;
    private static final int FEATURE_EVAL_BATCH = 256;

    private final VisionSettings settings;
    private final ModelStore store;
    private final FeatureCache cache;
    private final DatasetCatalog catalog;
    private final BackboneResolver resolver;

    public TransferTrainer(VisionSettings settings, ModelStore store, FeatureCache cache) {
        this.settings = settings;
        this.store = store;
        this.cache = cache;
        this.catalog = new DatasetCatalog(settings.dataDir(), new ImageDecoder(settings.maxImageSide()));
        this.resolver = new BackboneResolver(settings.weightsDir(), store);
    }

    /** A trainer with the store and feature cache the settings name. */
    public static TransferTrainer create(VisionSettings settings) {
        return new TransferTrainer(settings, ModelStore.of(settings),
                new FeatureCache(settings.featureCacheDir(), settings.featureCacheMaxBytes()));
    }

    public ModelStore store() {
        return store;
    }

    public FeatureCache featureCache() {
        return cache;
    }

    /**
     * Trains {@code spec} and publishes the result as a new version of {@code modelId}.
     *
     * @throws InvalidSpecException listing every violation of the spec
     * @throws io.transferlab.vision.TrainingCancelledException when {@code cancel} was cancelled
     * @throws VisionException for missing data, weights or models and engine out-of-memory
     */
    public TrainingOutcome train(String runId, String modelId, RunSpec spec, TrainingListener listener,
            CancellationToken cancel) {
        long started = System.nanoTime();
        RunSpec resolved = validate(runId, modelId, spec);
        Engines.pytorch();
        TrainingListener l = listener == null ? TrainingListener.NONE : listener;
        CancellationToken c = cancel == null ? CancellationToken.none() : cancel;
        boolean grad = JniUtils.isGradMode();
        try {
            return new Run(runId, modelId, spec, resolved, l, c, started).execute();
        } catch (VisionException e) {
            throw e;
        } catch (RuntimeException | OutOfMemoryError e) {
            throw EngineFailures.translate("training run " + runId, e);
        } finally {
            JniUtils.setGradMode(grad);
        }
    }

    private static RunSpec validate(String runId, String modelId, RunSpec spec) {
        Violations v = new Violations();
        v.require(runId, "runId");
        v.id(runId, "runId");
        v.require(modelId, "modelId");
        v.id(modelId, "modelId");
        List<Violation> all = new ArrayList<>(v.list());
        if (spec == null) {
            all.add(new Violation("spec", "is required"));
        } else {
            all.addAll(MessageValidator.validate(spec));
        }
        if (!all.isEmpty()) {
            throw new InvalidSpecException(all);
        }
        return spec.withDefaults();
    }

    /** The state of one call. */
    private final class Run {
        private final String runId;
        private final String modelId;
        private final RunSpec raw;
        private RunSpec spec;
        private final TrainingListener listener;
        private final CancellationToken cancel;
        private final long started;
        private final long seed;
        private final List<EpochMetrics> history = new ArrayList<>();
        private long trainedImages;
        private long trainingNanos;

        Run(String runId, String modelId, RunSpec raw, RunSpec spec, TrainingListener listener,
                CancellationToken cancel, long started) {
            this.runId = runId;
            this.modelId = modelId;
            this.raw = raw;
            this.spec = spec;
            this.listener = listener;
            this.cancel = cancel;
            this.started = started;
            this.seed = spec.seed();
        }

        TrainingOutcome execute() {
            cancel.throwIfCancelled();
            ModelCard source = spec.backboneIsRun() ? resolver.sourceCard(spec.backbone()) : null;
            spec = resolveInputs(source);
            PreparedData data = prepareData();
            Architecture arch = source != null ? Architecture.parse(source.architecture())
                    : spec.backboneIsTorchScript() || "imagenet".equals(spec.weights()) ? Architecture.TORCHSCRIPT
                    : Architecture.parse(spec.backbone());
            if (spec.imageSize() < arch.minImageSize()) {
                throw new InvalidSpecException("imageSize", spec.backbone() + " needs images of at least "
                        + arch.minImageSize() + " px (its feature maps would be empty), got " + spec.imageSize());
            }
            Device device = Devices.select(settings.deviceMode());
            LOG.info("run {}: {} on {}: {} train, {} validation, {} test images, classes {}", runId, spec.backbone(),
                    Devices.describe(device), data.trainCount(), data.validationCount(), data.test().size(),
                    data.classNames());
            try (Model model = Network.newModel(modelId, device);
                    ResolvedBackbone backbone = resolver.resolve(spec, spec.imageSize(), Seeds.derive(seed, "backbone"),
                            model.getNDManager(), device)) {
                NetworkSpec networkSpec = NetworkSpec.builder()
                        .architecture(backbone.architecture())
                        .imageSize(spec.imageSize())
                        .head(HeadSpec.builder()
                                .pooling(Pooling.parse(spec.pooling()))
                                .denseUnits(spec.denseUnits())
                                .dropout(spec.dropout())
                                .numClasses(data.classNames().size())
                                .build())
                        .build();
                Network network = Network.assemble(model, networkSpec, backbone.backbone(), Seeds.derive(seed, "head"));
                network.backbone().freeze(Boolean.TRUE.equals(spec.freeze()));
                listener.onStart(runId, data.trainCount(), data.validationCount(), data.test().size(),
                        Devices.describe(device));
                return trainAndPublish(network, backbone, data, device);
            }
        }

        /** Image side and preprocessing: given, else the source model's for run: backbones, else the data's. */
        private RunSpec resolveInputs(ModelCard source) {
            RunSpec.Builder b = spec.toBuilder();
            if (raw.imageSize() == null) {
                b.imageSize(source != null ? source.imageSize() : nativeSide());
            }
            if (raw.preprocessing() == null && source != null) {
                b.preprocessing(source.preprocessing());
            }
            return b.build();
        }

        private int nativeSide() {
            if (spec.dataset().startsWith(RunSpec.DATASET_PREFIX)) {
                return DatasetCatalog.DEFAULT_FOLDER_SIDE;
            }
            LabeledImages train = catalog.load(spec.dataset(), null).train();
            return Math.max(train.width(), train.height());
        }

        private PreparedData prepareData() {
            TrainTestData all = catalog.load(spec.dataset(), spec.imageSize());
            LabeledImages train = all.train();
            LabeledImages test = all.test();
            if (spec.classes() != null) {
                for (int i = 0; i < spec.classes().size(); i++) {
                    if (spec.classes().get(i) >= all.classNames().size()) {
                        throw new InvalidSpecException("classes[" + i + "]", "class " + spec.classes().get(i)
                                + " does not exist: " + spec.dataset() + " has classes 0.."
                                + (all.classNames().size() - 1));
                    }
                }
                train = Sampling.classes(train, spec.classes());
                test = Sampling.classes(test, spec.classes());
            }
            train = Sampling.sample(train, spec.sampling(), spec.trainSize(), Seeds.derive(seed, "sample-train"));
            test = Sampling.sample(test, spec.sampling(), spec.testSize(), Seeds.derive(seed, "sample-test"));
            int trainCount = (int) Math.floor(train.size() * (1 - spec.validationSplit()));
            if (trainCount < 1) {
                throw new InvalidSpecException("validationSplit", "leaves no training images out of " + train.size());
            }
            return new PreparedData(train, trainCount, test);
        }

        private TrainingOutcome trainAndPublish(Network network, ResolvedBackbone backbone, PreparedData data,
                Device device) {
            Preprocessing preprocessing = Preprocessing.parse(spec.preprocessing());
            boolean frozen = Boolean.TRUE.equals(spec.freeze());
            boolean augment = Boolean.TRUE.equals(spec.augmentFlip()) || spec.augmentShift() > 0;
            Augmenter augmenter = new Augmenter(Boolean.TRUE.equals(spec.augmentFlip()), spec.augmentShift(),
                    Seeds.derive(seed, "augment"));
            BatchSource trainImages = new ImageBatchSource(data.trainAndValidation(), spec.imageSize(), preprocessing,
                    augmenter);
            BatchSource testImages = new ImageBatchSource(data.test(), spec.imageSize(), preprocessing, null);
            int totalEpochs = spec.epochs() + spec.fineTuneEpochs();
            boolean useCache = frozen && !augment && cache.enabled();
            Evaluation trainEval;
            Evaluation testEval;
            StageResult first;
            if (useCache) {
                try (FeatureSet trainFeatures = features(network, backbone, data.trainAndValidation(), trainImages);
                        FeatureSet testFeatures = data.test().size() == 0 ? null
                                : features(network, backbone, data.test(), testImages)) {
                    first = stage(TrainStage.TRAIN, network.head(), headOnly(network), trainFeatures, data,
                            spec.epochs(), totalEpochs, network.manager());
                    if (spec.fineTuneEpochs() == 0) {
                        trainEval = Evaluator.evaluate(network.head(), trainFeatures, data.trainPositions(),
                                FEATURE_EVAL_BATCH, network.manager());
                        testEval = testFeatures == null ? null : Evaluator.evaluate(network.head(), testFeatures,
                                data.testPositions(), FEATURE_EVAL_BATCH, network.manager());
                        return publish(network, backbone, data, device, first, trainEval, testEval);
                    }
                }
            } else {
                first = stage(TrainStage.TRAIN, network.block(), trainableGroups(network, spec.learningRate(),
                        spec.learningRate()), trainImages, data, spec.epochs(), totalEpochs, network.manager());
            }
            StageResult last = first;
            if (spec.fineTuneEpochs() > 0) {
                network.backbone().freeze(false);
                last = stage(TrainStage.FINE_TUNE, network.block(), trainableGroups(network, spec.learningRate(),
                        spec.fineTuneLearningRate()), trainImages, data, spec.fineTuneEpochs(), totalEpochs,
                        network.manager());
                network.backbone().freeze(true);
            }
            cancel.throwIfCancelled();
            trainEval = Evaluator.evaluate(network.block(), trainImages, data.trainPositions(), IMAGE_EVAL_BATCH,
                    network.manager());
            testEval = data.test().size() == 0 ? null : Evaluator.evaluate(network.block(), testImages,
                    data.testPositions(), IMAGE_EVAL_BATCH, network.manager());
            return publish(network, backbone, data, device, last, trainEval, testEval);
        }

        private List<ParameterGroup> headOnly(Network network) {
            return List.of(new ParameterGroup(network.head().getParameters().values(), spec.learningRate()));
        }

        private List<ParameterGroup> trainableGroups(Network network, double headRate, double backboneRate) {
            return List.of(new ParameterGroup(network.head().getParameters().values(), headRate),
                    new ParameterGroup(network.backbone().getParameters().values(), backboneRate));
        }

        /** Backbone features of {@code images}, from the cache or computed into it. */
        private FeatureSet features(Network network, ResolvedBackbone backbone, LabeledImages images,
                BatchSource source) {
            Shape shape = network.featureShape();
            FeatureKey key = new FeatureKey(backbone.fingerprint() + "|bn-inference", spec.preprocessing(),
                    spec.imageSize(), images.pixelDigest());
            boolean hit = cache.contains(key);
            long start = System.nanoTime();
            FeatureSet set = cache.open(key, images.size(), shape, images.labels(), sink -> {
                ParameterStore parameterStore = new ParameterStore(network.manager(), false);
                JniUtils.setGradMode(false);
                for (int from = 0; from < images.size(); from += IMAGE_EVAL_BATCH) {
                    cancel.throwIfCancelled();
                    int[] positions = PreparedData.range(from, Math.min(images.size(), from + IMAGE_EVAL_BATCH));
                    try (NDManager scope = network.manager().newSubManager()) {
                        NDArray x = source.inputs(scope, positions, false);
                        NDArray f = network.backbone().forward(parameterStore, new NDList(x), false)
                                .singletonOrThrow();
                        ByteBuffer bytes = f.toByteBuffer();
                        sink.append(bytes);
                    }
                }
            });
            LOG.info("run {}: features of {} images {} in {} ms", runId, images.size(),
                    hit ? "read from the cache" : "computed", (System.nanoTime() - start) / 1_000_000);
            return set;
        }

        private StageResult stage(TrainStage stage, ai.djl.nn.Block block, List<ParameterGroup> groups,
                BatchSource source, PreparedData data, int epochs, int totalEpochs, NDManager manager) {
            listener.onStage(stage, epochs);
            OptimizerKind kind = OptimizerKind.parse(spec.optimizer());
            try (KerasOptimizer optimizer = new KerasOptimizer(kind, spec.momentum())) {
                for (ParameterGroup g : groups) {
                    optimizer.group(g.parameters(), g.learningRate());
                }
                TrainingLoop loop = new TrainingLoop(block, optimizer, manager);
                int[] trainPositions = data.trainPositions();
                int[] validationPositions = data.validationPositions();
                int patience = spec.earlyStoppingPatience();
                double best = Double.POSITIVE_INFINITY;
                int sinceBest = 0;
                Evaluation lastValidation = null;
                for (int e = 0; e < epochs; e++) {
                    cancel.throwIfCancelled();
                    int epochNumber = history.size() + 1;
                    long epochStart = System.nanoTime();
                    int[] order = shuffled(trainPositions, Seeds.derive(seed, "shuffle", epochNumber));
                    reseedHead(block, epochNumber);
                    EpochResult result = loop.epoch(source, order, spec.batchSize(), cancel);
                    trainedImages += result.images();
                    trainingNanos += result.elapsedNanos();
                    lastValidation = validationPositions.length == 0 ? null : Evaluator.evaluate(block, source,
                            validationPositions, IMAGE_EVAL_BATCH, manager);
                    EpochMetrics metrics = new EpochMetrics(epochNumber, stage, result.loss(), result.accuracy(),
                            lastValidation == null ? null : lastValidation.loss(),
                            lastValidation == null ? null : lastValidation.accuracy(),
                            (System.nanoTime() - epochStart) / 1_000_000);
                    history.add(metrics);
                    LOG.info("run {}: epoch {}/{} ({}) loss {} acc {} val_loss {} val_acc {} ({} img/s)", runId,
                            epochNumber, totalEpochs, stage, fmt(result.loss()), fmt(result.accuracy()),
                            fmt(metrics.valLoss()), fmt(metrics.valAccuracy()), Math.round(result.imagesPerSecond()));
                    listener.onEpoch(metrics, totalEpochs, result.imagesPerSecond());
                    double monitored = lastValidation != null ? lastValidation.loss() : result.loss();
                    if (monitored < best) {
                        best = monitored;
                        sinceBest = 0;
                    } else if (patience > 0 && ++sinceBest >= patience) {
                        LOG.info("run {}: early stopping after epoch {}: no improvement for {} epochs", runId,
                                epochNumber, patience);
                        break;
                    }
                }
                return new StageResult(lastValidation);
            }
        }

        private void reseedHead(ai.djl.nn.Block block, int epochNumber) {
            long s = Seeds.derive(seed, "dropout", epochNumber);
            if (block instanceof io.transferlab.vision.model.HeadBlock head) {
                head.reseed(s);
            } else {
                block.getChildren().values().stream()
                        .filter(b -> b instanceof io.transferlab.vision.model.HeadBlock)
                        .forEach(b -> ((io.transferlab.vision.model.HeadBlock) b).reseed(s));
            }
        }

        private TrainingOutcome publish(Network network, ResolvedBackbone backbone, PreparedData data, Device device,
                StageResult last, Evaluation trainEval, Evaluation testEval) {
            cancel.throwIfCancelled();
            Evaluation val = last.validation();
            FinalMetrics metrics = new FinalMetrics(trainEval.loss(), trainEval.accuracy(),
                    val == null ? null : val.loss(), val == null ? null : val.accuracy(),
                    testEval == null ? null : testEval.loss(), testEval == null ? null : testEval.accuracy());
            List<String> classNames = data.classNames();
            ConfusionMatrix matrix = testEval == null ? null
                    : ConfusionMatrices.of(classNames, testEval.predicted(), testEval.actual());
            List<ClassAccuracy> perClass = matrix == null ? List.of() : ConfusionMatrices.perClassAccuracy(matrix);
            ModelCard draft = new ModelCard(ModelCard.SCHEMA_VERSION, modelId, 0, runId, spec, classNames,
                    spec.imageSize(), spec.preprocessing(), backbone.architecture().id(), metrics, backbone.lineage(),
                    Instant.now(), LibraryVersions.current(), network.parameterCount(), ModelStore.WEIGHTS_FILE, null);
            ModelCard card = store.publish(draft, network::save);
            double imagesPerSecond = trainingNanos == 0 ? 0 : trainedImages / (trainingNanos / 1e9);
            long durationMs = (System.nanoTime() - started) / 1_000_000;
            LOG.info("run {}: published {} v{}: train acc {}, test acc {}, {} ms", runId, card.modelId(),
                    card.version(), fmt(metrics.trainAccuracy()), fmt(metrics.testAccuracy()), durationMs);
            return new TrainingOutcome(List.copyOf(history), metrics, matrix, perClass, classNames, card.modelId(),
                    card.version(), Devices.describe(device), imagesPerSecond, durationMs, card);
        }
    }

    private record ParameterGroup(List<Parameter> parameters, double learningRate) {
    }

    private record StageResult(Evaluation validation) {
    }

    static int[] shuffled(int[] positions, long seed) {
        int[] order = Arrays.copyOf(positions, positions.length);
        Random random = new Random(seed);
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    private static String fmt(Double d) {
        return d == null ? "-" : String.format(java.util.Locale.ROOT, "%.4f", d);
    }
}
