package io.transferlab.inference.service;

import io.transferlab.vision.Classifier;
import io.transferlab.vision.DeviceMode;
import io.transferlab.vision.model.Architecture;
import io.transferlab.vision.model.Classifiers;
import io.transferlab.vision.model.HeadSpec;
import io.transferlab.vision.model.NetworkSpec;
import io.transferlab.vision.model.Pooling;

/** Real, small classifiers for tests of the serving path: the chapter's small CNN at 28 px, random weights. */
final class TestClassifiers {

    static final int SIDE = 28;
    static final int CLASSES = 10;

    private TestClassifiers() {
    }

    static Classifier smallCnn(long seed) {
        HeadSpec head = HeadSpec.builder().pooling(Pooling.FLATTEN).denseUnits(0).numClasses(CLASSES).build();
        return Classifiers.randomWeights(NetworkSpec.builder().architecture(Architecture.SMALL_CNN).imageSize(SIDE)
                .head(head).build(), seed, DeviceMode.CPU);
    }
}
