package io.transferlab.vision.train;

import io.transferlab.contracts.train.ClassAccuracy;
import io.transferlab.contracts.train.ConfusionMatrix;
import io.transferlab.contracts.train.EpochMetrics;
import io.transferlab.contracts.train.FinalMetrics;
import io.transferlab.vision.store.ModelCard;
import java.util.List;

/**
 * Everything a finished run produced; the trainer service turns it into a {@code TrainResult}.
 *
 * @param device where it ran, e.g. {@code cpu()}
 * @param imagesPerSecond training images per second over all epochs
 * @param durationMs wall time of the whole call, data loading and saving included
 */
public record TrainingOutcome(
        List<EpochMetrics> history,
        FinalMetrics metrics,
        ConfusionMatrix confusionMatrix,
        List<ClassAccuracy> perClassAccuracy,
        List<String> classNames,
        String modelId,
        int modelVersion,
        String device,
        double imagesPerSecond,
        long durationMs,
        ModelCard card) {
}
