package io.transferlab.vision.data;

import java.util.List;

/** A data set's training and test images; both carry the same class names. */
public record TrainTestData(String name, LabeledImages train, LabeledImages test) {

    public TrainTestData {
        if (!train.classNames().equals(test.classNames())) {
            throw new IllegalArgumentException("train and test sets of " + name + " have different classes");
        }
    }

    public List<String> classNames() {
        return train.classNames();
    }
}
