package io.transferlab.inference.service;

import java.time.Duration;

/**
 * How requests are grouped into forward passes and how much may wait.
 *
 * @param maxBatchSize most images in one forward pass
 * @param maxBatchDelay how long the first image of a batch waits for others to join it
 * @param queueCapacity most images waiting, all models together
 * @param queueMaxBytes most decoded pixel bytes waiting, all models together (one image is always admitted into an
 *        empty queue, whatever its size: the decoder's side bound limits it)
 * @param workers threads running forward passes
 * @param adaptiveDelay wait for a batch to fill only while other requests are on their way into the queue (being
 *        parsed and decoded); a lone request then goes at once instead of waiting {@code maxBatchDelay} for
 *        company that is not coming. Under load requests are always arriving, so batches still fill.
 */
public record BatchPolicy(int maxBatchSize, Duration maxBatchDelay, int queueCapacity, long queueMaxBytes,
        int workers, boolean adaptiveDelay) {

    public BatchPolicy {
        if (maxBatchSize < 1) {
            throw new IllegalArgumentException("maxBatchSize must be >= 1");
        }
        if (maxBatchDelay == null || maxBatchDelay.isNegative()) {
            throw new IllegalArgumentException("maxBatchDelay must be >= 0");
        }
        if (queueCapacity < maxBatchSize) {
            throw new IllegalArgumentException("queueCapacity (" + queueCapacity + ") must be at least maxBatchSize ("
                    + maxBatchSize + ")");
        }
        if (queueMaxBytes < 1) {
            throw new IllegalArgumentException("queueMaxBytes must be >= 1");
        }
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be >= 1");
        }
    }
}
