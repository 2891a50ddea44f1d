package io.transferlab.inference.service;

import io.transferlab.vision.Classifier;
import io.transferlab.vision.image.DecodedImage;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs a freshly loaded classifier on every inference worker thread at batch size 1 and at the largest batch
 * size, before it serves: each thread gets its predictor, and the engine its buffers for those shapes, outside of
 * any request's latency (every image is resized to the model's side, so the batch size is the only varying shape).
 */
public final class WarmUp implements Consumer<Classifier> {

    private final DynamicBatcher batcher;
    private final Duration timeout;

    public WarmUp(DynamicBatcher batcher, Duration timeout) {
        this.batcher = batcher;
        this.timeout = timeout;
    }

    @Override
    public void accept(Classifier classifier) {
        DecodedImage blank = DecodedImage.rgb(8, 8, new byte[8 * 8 * 3]);
        int largest = batcher.policy().maxBatchSize();
        batcher.runOnEveryWorker(() -> {
            classifier.classify(List.of(blank), 1);
            if (largest > 1) {
                classifier.classify(Collections.nCopies(largest, blank), 1);
            }
        }, timeout);
    }
}
