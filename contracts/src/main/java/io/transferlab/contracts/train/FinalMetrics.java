package io.transferlab.contracts.train;

/**
 * Figures at the end of a run. Train figures are evaluated on the training images after training
 * (no dropout); validation figures are the last epoch's; any may be null when not measured.
 */
public record FinalMetrics(
        Double trainLoss,
        Double trainAccuracy,
        Double valLoss,
        Double valAccuracy,
        Double testLoss,
        Double testAccuracy) {
}
