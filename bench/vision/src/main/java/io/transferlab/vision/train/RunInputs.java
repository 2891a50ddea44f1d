package io.transferlab.vision.train;

import io.transferlab.contracts.train.RunSpec;
import io.transferlab.vision.data.DatasetCatalog;
import io.transferlab.vision.data.LabeledImages;

/**
 * The images a vision-core run sees and the order it sees them in, for a peer that trains the same run elsewhere
 * (bench/protocol's PyTorch side): the sampled training and test images exactly as {@link TransferTrainer} prepares
 * them, and the training positions of each epoch as {@link StageTrainer} shuffles them.
 *
 * <p>Why this class sits in vision-core's package, in the bench module: data preparation ({@link RunData}), seed
 * derivation ({@link Seeds}) and the epoch shuffle are package-private, and the peer must not see a copy of those
 * rules that could drift from them; calling them keeps vision-core's public API as it is.
 */
public final class RunInputs {

    private final RunSpec spec;
    private final PreparedData data;

    private RunInputs(RunSpec spec, PreparedData data) {
        this.spec = spec;
        this.data = data;
    }

    /**
     * What a run of {@code spec} trains and is tested on. The spec must name its image size (a {@code run:}
     * backbone's source model is not looked up here), as bench/protocol's specs do.
     */
    public static RunInputs of(RunSpec spec, DatasetCatalog catalog) {
        RunSpec resolved = spec.withDefaults();
        if (resolved.imageSize() == null) {
            throw new IllegalArgumentException("the spec must give imageSize");
        }
        return new RunInputs(resolved, RunData.prepare(resolved, catalog, resolved.seed()));
    }

    /** The sampled training images (validation images, if any, follow the first {@link #trainCount()}). */
    public LabeledImages trainAndValidation() {
        return data.trainAndValidation();
    }

    public int trainCount() {
        return data.trainCount();
    }

    public LabeledImages test() {
        return data.test();
    }

    /**
     * Training positions (into {@link #trainAndValidation()}) in the order of epoch {@code epoch}, counted from 1
     * across the run's stages as the trainer counts them (a fine-tuning stage after 10 epochs starts at 11).
     */
    public int[] order(int epoch) {
        return StageTrainer.shuffled(data.trainPositions(), Seeds.derive(spec.seed(), "shuffle", epoch));
    }
}
