package io.transferlab.vision.train;

import io.transferlab.vision.data.LabeledImages;
import java.util.List;

/**
 * A run's images: the sampled training set (its first {@code trainCount} images train, the rest validate, as
 * Keras' validation_split takes the last fraction before shuffling) and the test set.
 */
record PreparedData(LabeledImages trainAndValidation, int trainCount, LabeledImages test) {

    int validationCount() {
        return trainAndValidation.size() - trainCount;
    }

    List<String> classNames() {
        return trainAndValidation.classNames();
    }

    int[] trainPositions() {
        return range(0, trainCount);
    }

    int[] validationPositions() {
        return range(trainCount, trainAndValidation.size());
    }

    int[] testPositions() {
        return range(0, test.size());
    }

    static int[] range(int from, int to) {
        int[] r = new int[to - from];
        for (int i = 0; i < r.length; i++) {
            r[i] = from + i;
        }
        return r;
    }
}
