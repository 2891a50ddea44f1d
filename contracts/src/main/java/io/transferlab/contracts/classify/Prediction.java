package io.transferlab.contracts.classify;

/**
 * One ranked label.
 *
 * @param label the class name (for ImageNet the description, e.g. {@code Norwich_terrier})
 * @param classIndex the index of the class in the model's output
 * @param score softmax probability in [0, 1]
 * @param synset the WordNet id for ImageNet labels (e.g. {@code n02094258}), else null
 */
public record Prediction(String label, int classIndex, double score, String synset) {
}
