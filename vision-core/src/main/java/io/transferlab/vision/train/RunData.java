package io.transferlab.vision.train;

import io.transferlab.contracts.train.RunSpec;
import io.transferlab.vision.InvalidSpecException;
import io.transferlab.vision.data.DatasetCatalog;
import io.transferlab.vision.data.LabeledImages;
import io.transferlab.vision.data.Sampling;
import io.transferlab.vision.data.TrainTestData;
import io.transferlab.vision.store.ModelCard;

/** The inputs of a run: its image side and preprocessing, and its sampled, split images. */
final class RunData {

    private RunData() {
    }

    /**
     * Fills the image side and preprocessing the caller left out: a {@code run:} backbone's source model's, else
     * the data set's own side (224 for uploads).
     */
    static RunSpec resolveInputs(RunSpec raw, RunSpec spec, ModelCard source, DatasetCatalog catalog) {
        RunSpec.Builder b = spec.toBuilder();
        if (raw.imageSize() == null) {
            b.imageSize(source != null ? source.imageSize() : nativeSide(spec.dataset(), catalog));
        }
        if (raw.preprocessing() == null && source != null) {
            b.preprocessing(source.preprocessing());
        }
        return b.build();
    }

    private static int nativeSide(String dataset, DatasetCatalog catalog) {
        if (dataset.startsWith(RunSpec.DATASET_PREFIX)) {
            return DatasetCatalog.DEFAULT_FOLDER_SIDE;
        }
        LabeledImages train = catalog.load(dataset, null).train();
        return Math.max(train.width(), train.height());
    }

    /** Class subset, then sampling, then Keras' validation split (the last fraction, before any shuffling). */
    static PreparedData prepare(RunSpec spec, DatasetCatalog catalog, long seed) {
        TrainTestData all = catalog.load(spec.dataset(), spec.imageSize());
        LabeledImages train = all.train();
        LabeledImages test = all.test();
        if (spec.classes() != null) {
            for (int i = 0; i < spec.classes().size(); i++) {
                if (spec.classes().get(i) >= all.classNames().size()) {
                    throw new InvalidSpecException("classes[" + i + "]", "class " + spec.classes().get(i)
                            + " does not exist: " + spec.dataset() + " has classes 0.." + (all.classNames().size() - 1));
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
}
