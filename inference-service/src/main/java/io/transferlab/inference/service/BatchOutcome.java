package io.transferlab.inference.service;

import io.transferlab.contracts.classify.Prediction;
import java.util.List;

/**
 * What one image got from the forward pass it rode in.
 *
 * @param batchSize images in that forward pass
 * @param queuedNanos from entering the queue to the start of the pass
 * @param inferenceNanos the whole pass (preprocessing, forward, softmax, ranking)
 */
public record BatchOutcome(List<Prediction> predictions, int batchSize, long queuedNanos, long inferenceNanos) {
}
