package io.transferlab.vision.eval;

/**
 * What a model did on a set of images: mean cross-entropy loss, accuracy in [0, 1], and each image's predicted and
 * actual class (for the confusion matrix).
 */
public record Evaluation(double loss, double accuracy, int[] predicted, int[] actual) {

    public int size() {
        return actual.length;
    }
}
