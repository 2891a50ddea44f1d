package io.transferlab.inference.service;

import java.util.List;

/**
 * What the service can say about a model before loading it (for the Open Inference Protocol's model metadata).
 *
 * @param versions the versions that exist, oldest first
 * @param imageSize the side every input image is resized to
 * @param labels the class names in output order
 * @param synsets WordNet ids per label for ImageNet models, else null
 * @param platform what runs it, e.g. {@code djl-pytorch}
 * @param unavailableReason why it cannot be served (missing weights), or null
 */
public record ModelDescription(String modelId, List<Integer> versions, int imageSize, List<String> labels,
        List<String> synsets, String platform, String unavailableReason) {

    public ModelDescription {
        versions = List.copyOf(versions);
        labels = List.copyOf(labels);
        synsets = synsets == null ? null : List.copyOf(synsets);
    }

    /** The same description for one of its versions. */
    public ModelDescription onlyVersion(int version) {
        return new ModelDescription(modelId, List.of(version), imageSize, labels, synsets, platform, unavailableReason);
    }
}
