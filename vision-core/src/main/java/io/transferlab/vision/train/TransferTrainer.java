package io.transferlab.vision.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import io.transferlab.contracts.Requester;
import io.transferlab.contracts.train.ClassAccuracy;
import io.transferlab.contracts.train.ConfusionMatrix;
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
import io.transferlab.vision.ResourceLimitException;
import io.transferlab.vision.VisionException;
import io.transferlab.vision.VisionSettings;
import io.transferlab.vision.cache.FeatureCache;
import io.transferlab.vision.cache.FeatureSet;
import io.transferlab.vision.data.Augmenter;
import io.transferlab.vision.data.BatchSource;
import io.transferlab.vision.data.DatasetCatalog;
import io.transferlab.vision.data.ImageBatchSource;
import io.transferlab.vision.data.LabeledImages;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
    private final long memoryBudgetBytes;
    private final ModelStore store;
    private final FeatureCache cache;
    private final DatasetCatalog catalog;
    private final BackboneResolver resolver;

    public TransferTrainer(VisionSettings settings, ModelStore store, FeatureCache cache) {
        this(settings, store, cache, 0);
    }

    /**
     * @param memoryBudgetBytes a run whose {@link MemoryEstimate} exceeds this fails with RESOURCE_LIMIT before it
     *        trains (0: no limit)
     */
    public TransferTrainer(VisionSettings settings, ModelStore store, FeatureCache cache, long memoryBudgetBytes) {
        this.memoryBudgetBytes = memoryBudgetBytes;
        this.settings = settings;
        this.store = store;
        this.cache = cache;
        this.catalog = new DatasetCatalog(settings.dataDir(), new ImageDecoder(settings.maxImageSide()), settings.fetch());
        this.resolver = new BackboneResolver(settings, store);
    }

    /** A trainer with the store and feature cache the settings name. */
    public static TransferTrainer create(VisionSettings settings) {
        return new TransferTrainer(settings, ModelStore.of(settings),
                new FeatureCache(settings.featureCacheDir(), settings.featureCacheMaxBytes()));
    }

    /** As {@link #create(VisionSettings)}, with a memory budget per run (0: none). */
    public static TransferTrainer create(VisionSettings settings, long memoryBudgetBytes) {
        return new TransferTrainer(settings, ModelStore.of(settings),
                new FeatureCache(settings.featureCacheDir(), settings.featureCacheMaxBytes()), memoryBudgetBytes);
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
        return train(runId, modelId, Requester.UNKNOWN, spec, listener, cancel);
    }

    /**
     * Trains {@code spec} for {@code requester} and publishes the result as a new version of {@code modelId} owned
     * by it (its model card records the requester's key name). A model id that another key owns is refused before
     * training (nothing to lose yet) and again, authoritatively, when the version is published.
     *
     * @throws io.transferlab.vision.ModelOwnedException when another key owns {@code modelId} and the requester is
     *         no admin
     * @throws InvalidSpecException listing every violation of the spec
     * @throws io.transferlab.vision.TrainingCancelledException when {@code cancel} was cancelled
     * @throws VisionException for missing data, weights or models and engine out-of-memory
     */
    public TrainingOutcome train(String runId, String modelId, Requester requester, RunSpec spec,
            TrainingListener listener, CancellationToken cancel) {
        long started = System.nanoTime();
        RunSpec resolved = validate(runId, modelId, spec);
        Requester who = requester == null ? Requester.UNKNOWN : requester;
        store.requireMayPublish(modelId, who);
        Engines.pytorch();
        TrainingListener l = listener == null ? TrainingListener.NONE : listener;
        CancellationToken c = cancel == null ? CancellationToken.none() : cancel;
        boolean grad = JniUtils.isGradMode();
        try {
            return new Run(runId, modelId, who, spec, resolved, l, c, started).execute();
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
        private final Requester requester;
        private final RunSpec raw;
        private RunSpec spec;
        private final TrainingListener listener;
        private final CancellationToken cancel;
        private final long started;
        private final long seed;

        Run(String runId, String modelId, Requester requester, RunSpec raw, RunSpec spec, TrainingListener listener,
                CancellationToken cancel, long started) {
            this.runId = runId;
            this.modelId = modelId;
            this.requester = requester;
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
            spec = RunData.resolveInputs(raw, spec, source, catalog);
            Architecture arch = source != null ? Architecture.parse(source.architecture())
                    : spec.backboneIsTorchScript() || "imagenet".equals(spec.weights()) ? Architecture.TORCHSCRIPT
                    : Architecture.parse(spec.backbone());
            if (spec.imageSize() < arch.minImageSize()) {
                throw new InvalidSpecException("imageSize", spec.backbone() + " needs images of at least "
                        + arch.minImageSize() + " px (its feature maps would be empty), got " + spec.imageSize());
            }
            checkMemory(arch, null); // before the data: an uploaded set is decoded at imageSize as it is read
            PreparedData data = RunData.prepare(spec, catalog, seed);
            checkMemory(arch, data);
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
                boolean frozen = Boolean.TRUE.equals(spec.freeze());
                network.backbone().freeze(frozen);
                batchNormMode(network, backbone, !frozen);
                listener.onStart(runId, data.trainCount(), data.validationCount(), data.test().size(),
                        Devices.describe(device));
                return trainAndPublish(network, backbone, data, device);
            }
        }

        /**
         * Fails the run with RESOURCE_LIMIT, before any tensor is allocated, when it cannot fit the budget; {@code data}
         * is null for the first look, before the data set is read.
         */
        private void checkMemory(Architecture arch, PreparedData data) {
            Architecture layers = arch != Architecture.TORCHSCRIPT ? arch
                    : RunSpec.ARCHITECTURES.contains(spec.backbone()) ? Architecture.parse(spec.backbone()) : null;
            long scriptBytes = 0;
            if (layers == null && spec.backboneIsTorchScript()) {
                java.nio.file.Path file = settings.weightsDir()
                        .resolve(spec.backbone().substring(RunSpec.TORCHSCRIPT_PREFIX.length()));
                scriptBytes = file.toFile().length();
            }
            // Without the data yet: 3 channels, the requested classes (else 10) and no data bytes, a lower bound.
            LabeledImages train = data == null ? null : data.trainAndValidation();
            long dataBytes = data == null ? 0 : ((long) train.size() + data.test().size()) * train.width()
                    * train.height() * train.channels();
            int classes = data != null ? data.classNames().size() : spec.classes() != null ? spec.classes().size() : 10;
            MemoryEstimate estimate = MemoryEstimate.of(spec, layers, scriptBytes, data == null ? 3 : train.channels(),
                    classes, dataBytes);
            if (data != null) {
                LOG.info("run {}: memory estimate {}", runId, estimate.describe());
            }
            if (memoryBudgetBytes > 0 && estimate.exceeds(memoryBudgetBytes)) {
                throw new ResourceLimitException("run " + runId + " would need about " + estimate.describe()
                        + "; this trainer's memory budget is " + MemoryEstimate.mib(memoryBudgetBytes)
                        + " (transferlab.trainer.memory-budget): lower batchSize or imageSize, or freeze the backbone");
            }
        }

        private TrainingOutcome trainAndPublish(Network network, ResolvedBackbone backbone, PreparedData data,
                Device device) {
            Preprocessing preprocessing = Preprocessing.parse(spec.preprocessing());
            boolean augment = Boolean.TRUE.equals(spec.augmentFlip()) || spec.augmentShift() > 0;
            Augmenter augmenter = new Augmenter(Boolean.TRUE.equals(spec.augmentFlip()), spec.augmentShift(),
                    Seeds.derive(seed, "augment"));
            BatchSource trainImages = new ImageBatchSource(data.trainAndValidation(), spec.imageSize(), preprocessing,
                    augmenter);
            BatchSource testImages = new ImageBatchSource(data.test(), spec.imageSize(), preprocessing, null);
            StageTrainer stages = new StageTrainer(runId, spec, listener, cancel, IMAGE_EVAL_BATCH);
            NDManager manager = network.manager();
            Evaluation validation;
            if (Boolean.TRUE.equals(spec.freeze()) && !augment && cache.enabled()) {
                // the frozen backbone runs once per image; the head trains on its cached features
                FeatureExtractor extractor = new FeatureExtractor(cache, IMAGE_EVAL_BATCH);
                try (FeatureSet trainFeatures = extractor.features(runId, network, backbone.fingerprint(),
                        spec.preprocessing(), spec.imageSize(), data.trainAndValidation(), trainImages, cancel);
                        FeatureSet testFeatures = data.test().size() == 0 ? null : extractor.features(runId, network,
                                backbone.fingerprint(), spec.preprocessing(), spec.imageSize(), data.test(),
                                testImages, cancel)) {
                    validation = stages.stage(TrainStage.TRAIN, network.head(),
                            List.of(group(network.head(), spec.learningRate())), trainFeatures, data, spec.epochs(),
                            manager);
                    if (spec.fineTuneEpochs() == 0) {
                        cancel.throwIfCancelled();
                        Evaluation train = Evaluator.evaluate(network.head(), trainFeatures, data.trainPositions(),
                                FEATURE_EVAL_BATCH, manager, cancel::throwIfCancelled);
                        Evaluation test = testFeatures == null ? null : Evaluator.evaluate(network.head(),
                                testFeatures, data.testPositions(), FEATURE_EVAL_BATCH, manager,
                                cancel::throwIfCancelled);
                        return publish(network, backbone, data, device, stages, validation, train, test);
                    }
                }
            } else {
                validation = stages.stage(TrainStage.TRAIN, network.block(),
                        List.of(group(network.head(), spec.learningRate()),
                                group(network.backbone(), spec.learningRate())),
                        trainImages, data, spec.epochs(), manager);
            }
            if (spec.fineTuneEpochs() > 0) {
                network.backbone().freeze(false);
                batchNormMode(network, backbone, true);
                validation = stages.stage(TrainStage.FINE_TUNE, network.block(),
                        List.of(group(network.head(), spec.learningRate()),
                                group(network.backbone(), spec.fineTuneLearningRate())),
                        trainImages, data, spec.fineTuneEpochs(), manager);
                network.backbone().freeze(true);
                batchNormMode(network, backbone, false);
            }
            cancel.throwIfCancelled();
            Evaluation train = Evaluator.evaluate(network.block(), trainImages, data.trainPositions(),
                    IMAGE_EVAL_BATCH, manager, cancel::throwIfCancelled);
            Evaluation test = data.test().size() == 0 ? null : Evaluator.evaluate(network.block(), testImages,
                    data.testPositions(), IMAGE_EVAL_BATCH, manager, cancel::throwIfCancelled);
            return publish(network, backbone, data, device, stages, validation, train, test);
        }

        /**
         * The backbone's batch norms in a stage: trained from scratch they train; a frozen backbone runs them in
         * inference mode; a pretrained one whose weights train does what the spec's {@code batchNorm} says.
         */
        private void batchNormMode(Network network, ResolvedBackbone backbone, boolean backboneTrains) {
            boolean inference = !backboneTrains
                    || backbone.pretrained() && !RunSpec.BATCH_NORM_TRAIN.equals(spec.batchNorm());
            network.backbone().batchNormInference(inference);
        }

        private TrainingOutcome publish(Network network, ResolvedBackbone backbone, PreparedData data, Device device,
                StageTrainer stages, Evaluation val, Evaluation trainEval, Evaluation testEval) {
            cancel.throwIfCancelled();
            FinalMetrics metrics = new FinalMetrics(trainEval.loss(), trainEval.accuracy(),
                    val == null ? null : val.loss(), val == null ? null : val.accuracy(),
                    testEval == null ? null : testEval.loss(), testEval == null ? null : testEval.accuracy());
            List<String> classNames = data.classNames();
            ConfusionMatrix matrix = testEval == null ? null
                    : ConfusionMatrices.of(classNames, testEval.predicted(), testEval.actual());
            List<ClassAccuracy> perClass = matrix == null ? List.of() : ConfusionMatrices.perClassAccuracy(matrix);
            ModelCard draft = new ModelCard(ModelCard.SCHEMA_VERSION, modelId, 0, runId, spec, classNames,
                    spec.imageSize(), spec.preprocessing(), backbone.architecture().id(), metrics, backbone.lineage(),
                    Instant.now(), LibraryVersions.current(), network.parameterCount(), ModelStore.WEIGHTS_FILE, null,
                    requester.keyName());
            ModelCard card = store.publish(draft, network::save, requester.admin());
            long durationMs = (System.nanoTime() - started) / 1_000_000;
            LOG.info("run {}: published {} v{}: train acc {}, test acc {}, {} ms", runId, card.modelId(),
                    card.version(), StageTrainer.fmt(metrics.trainAccuracy()), StageTrainer.fmt(metrics.testAccuracy()),
                    durationMs);
            return new TrainingOutcome(stages.history(), metrics, matrix, perClass, classNames, card.modelId(),
                    card.version(), Devices.describe(device), stages.imagesPerSecond(), durationMs, card);
        }
    }

    private static StageTrainer.ParameterGroup group(ai.djl.nn.Block block, double learningRate) {
        return new StageTrainer.ParameterGroup(block.getParameters().values(), learningRate);
    }
}
