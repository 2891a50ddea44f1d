package io.transferlab.contracts.train;

/**
 * One epoch's figures, as Keras' history reports them. Validation figures are null when validationSplit is 0.
 *
 * @param epoch 1-based, counting on across stages
 * @param elapsedMs wall time of this epoch
 */
public record EpochMetrics(
        int epoch,
        TrainStage stage,
        double loss,
        double accuracy,
        Double valLoss,
        Double valAccuracy,
        long elapsedMs) {
}
