package io.transferlab.inference.service;

import io.transferlab.vision.Classifier;
import java.util.Optional;

/** Where classifiers come from: the model store, the pretrained ImageNet files, random weights for benchmarks. */
public interface ModelSource {

    /**
     * Opens the newest version of a model; the caller closes it.
     *
     * @throws io.transferlab.vision.UnknownModelException when nothing is known by that id
     * @throws io.transferlab.vision.MissingWeightsException when the model needs weights that are not installed
     */
    Classifier open(String modelId);

    /** Opens one version of a model; the caller closes it. */
    Classifier open(String modelId, int version);

    /** What is known about a model without loading it, or empty when nothing is known by that id. */
    Optional<ModelDescription> describe(String modelId);

    /**
     * What is known about one version of a model, or empty when the model or the version is unknown. By default
     * the model's description narrowed to that version (sources whose versions differ in labels or size say more).
     */
    default Optional<ModelDescription> describe(String modelId, int version) {
        return describe(modelId).filter(d -> d.versions().contains(version)).map(d -> d.onlyVersion(version));
    }
}
