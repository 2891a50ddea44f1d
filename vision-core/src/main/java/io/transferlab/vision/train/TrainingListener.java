package io.transferlab.vision.train;

import io.transferlab.contracts.train.EpochMetrics;
import io.transferlab.contracts.train.TrainStage;

/**
 * Hears about a run while it trains; the trainer service publishes these as progress messages. Called on the
 * training thread: keep it quick (hand off anything slow). An exception thrown here fails the run.
 */
public interface TrainingListener {

    TrainingListener NONE = new TrainingListener() {
    };

    /** The data is loaded and the network built; training is about to start. */
    default void onStart(String runId, int trainImages, int validationImages, int testImages, String device) {
    }

    /** A stage begins (the second, fine-tuning stage only when the spec asks for it). */
    default void onStage(TrainStage stage, int epochs) {
    }

    /**
     * One epoch is done.
     *
     * @param totalEpochs epochs planned across both stages (early stopping may end the run sooner)
     * @param imagesPerSecond training images processed per second during this epoch
     */
    default void onEpoch(EpochMetrics metrics, int totalEpochs, double imagesPerSecond) {
    }
}
