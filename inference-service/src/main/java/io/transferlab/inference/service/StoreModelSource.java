package io.transferlab.inference.service;

import io.transferlab.vision.Classifier;
import io.transferlab.vision.UnknownModelException;
import io.transferlab.vision.VisionSettings;
import io.transferlab.vision.model.Architecture;
import io.transferlab.vision.model.Classifiers;
import io.transferlab.vision.model.ImageNetClassifiers;
import io.transferlab.vision.model.ImageNetClassifiers.ImageNetClass;
import io.transferlab.vision.model.ImageNetWeights;
import io.transferlab.vision.store.ModelCard;
import io.transferlab.vision.store.ModelStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Every model the system knows: {@code imagenet-resnet50} (when its TorchScript weights are installed), every model
 * in the store by id, and, when configured for benchmarks, {@code random-<architecture>} built with random weights.
 */
public final class StoreModelSource implements ModelSource {

    public static final String RANDOM_PREFIX = "random-";
    /** Input side and classes of the random-weight models: an ImageNet-shaped network. */
    public static final int RANDOM_IMAGE_SIZE = 224;
    public static final int RANDOM_CLASSES = 1000;
    private static final long RANDOM_SEED = 42;
    private static final String DJL_PYTORCH = "djl-pytorch";

    private final VisionSettings settings;
    private final ModelStore store;
    private final Set<Architecture> randomArchitectures;

    public StoreModelSource(VisionSettings settings, ModelStore store, List<String> randomArchitectures) {
        this.settings = settings;
        this.store = store;
        Set<Architecture> random = new java.util.HashSet<>();
        for (String name : randomArchitectures) {
            Architecture a = Architecture.parse(name.trim());
            if (!a.builtHere()) {
                throw new IllegalArgumentException("random weights need an architecture built here, not " + a.id());
            }
            random.add(a);
        }
        this.randomArchitectures = Set.copyOf(random);
    }

    @Override
    public Classifier open(String modelId) {
        if (ImageNetClassifiers.RESNET50_MODEL_ID.equals(modelId)) {
            return ImageNetClassifiers.resnet50(settings);
        }
        Optional<Architecture> random = randomArchitecture(modelId);
        if (random.isPresent()) {
            return Classifiers.randomWeights(random.get(), RANDOM_IMAGE_SIZE, RANDOM_CLASSES, RANDOM_SEED,
                    settings.deviceMode());
        }
        return store.openClassifier(modelId);
    }

    @Override
    public Classifier open(String modelId, int version) {
        if (ImageNetClassifiers.RESNET50_MODEL_ID.equals(modelId) || randomArchitecture(modelId).isPresent()) {
            if (version != 1) {
                throw new UnknownModelException("model '" + modelId + "' has only version 1");
            }
            return open(modelId);
        }
        return store.openClassifier(modelId, version);
    }

    @Override
    public Optional<ModelDescription> describe(String modelId) {
        if (ImageNetClassifiers.RESNET50_MODEL_ID.equals(modelId)) {
            String reason = ImageNetWeights.unavailable(settings, Architecture.RESNET50,
                    ImageNetWeights.classifierFile("resnet50")).orElse(null);
            ImageNetClass[] classes = ImageNetClassifiers.classes();
            return Optional.of(new ModelDescription(modelId, List.of(1), ImageNetClassifiers.IMAGE_SIZE,
                    Arrays.stream(classes).map(ImageNetClass::label).toList(),
                    Arrays.stream(classes).map(ImageNetClass::synset).toList(), DJL_PYTORCH, reason));
        }
        if (randomArchitecture(modelId).isPresent()) {
            List<String> labels = new ArrayList<>();
            for (int i = 0; i < RANDOM_CLASSES; i++) {
                labels.add("class" + i);
            }
            return Optional.of(new ModelDescription(modelId, List.of(1), RANDOM_IMAGE_SIZE, labels, null, DJL_PYTORCH,
                    null));
        }
        List<ModelCard> versions = store.versions(modelId);
        if (versions.isEmpty()) {
            return Optional.empty();
        }
        ModelCard latest = versions.get(versions.size() - 1);
        return Optional.of(new ModelDescription(modelId, versions.stream().map(ModelCard::version).toList(),
                latest.imageSize(), latest.classNames(), null, DJL_PYTORCH, null));
    }

    /** A stored version is described by its own card: versions of one model may differ in labels and image size. */
    @Override
    public Optional<ModelDescription> describe(String modelId, int version) {
        if (ImageNetClassifiers.RESNET50_MODEL_ID.equals(modelId) || randomArchitecture(modelId).isPresent()) {
            return ModelSource.super.describe(modelId, version);
        }
        return store.find(modelId, version).map(card -> new ModelDescription(modelId, List.of(version),
                card.imageSize(), card.classNames(), null, DJL_PYTORCH, null));
    }

    private Optional<Architecture> randomArchitecture(String modelId) {
        if (modelId == null || !modelId.startsWith(RANDOM_PREFIX)) {
            return Optional.empty();
        }
        String id = modelId.substring(RANDOM_PREFIX.length()).toLowerCase(Locale.ROOT);
        return randomArchitectures.stream().filter(a -> a.id().equals(id)).findFirst();
    }
}
