package io.transferlab.bench.inference;

import ai.djl.pytorch.jni.JniUtils;
import io.transferlab.vision.Classifier;
import io.transferlab.vision.Engines;
import io.transferlab.vision.image.DecodedImage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The model alone, in this JVM: {@link Classifier#classify} (preprocessing, forward pass, softmax, top 5) on the
 * already decoded benchmark image, on a freshly created thread as the service's workers are (libtorch's
 * per-thread state makes the thread matter), warmed up at each batch size first.
 */
final class RawForward {

    private RawForward() {
    }

    /** Single images one after another: the latency floor of one request. */
    static Stats batchOfOne(Classifier classifier, DecodedImage image, int count) {
        return onFreshThread(() -> {
            List<DecodedImage> one = List.of(image);
            classifier.classify(one, 5);
            classifier.classify(one, 5);
            List<Long> latencies = new ArrayList<>();
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                long t = System.nanoTime();
                classifier.classify(one, 5);
                latencies.add(System.nanoTime() - t);
            }
            return Stats.of(latencies, (System.nanoTime() - start) / 1e9, 1, 0);
        });
    }

    /** Full batches back to back: the throughput ceiling the service's batcher can reach. */
    static Stats fullBatches(Classifier classifier, DecodedImage image, int batchSize, int batches) {
        return onFreshThread(() -> {
            List<DecodedImage> batch = Collections.nCopies(batchSize, image);
            classifier.classify(batch, 5);
            List<Long> latencies = new ArrayList<>();
            long start = System.nanoTime();
            for (int i = 0; i < batches; i++) {
                long t = System.nanoTime();
                classifier.classify(batch, 5);
                long took = System.nanoTime() - t;
                for (int j = 0; j < batchSize; j++) {
                    latencies.add(took);
                }
            }
            return Stats.of(latencies, (System.nanoTime() - start) / 1e9, batchSize, 0);
        });
    }

    /**
     * Batches of one size on a long-lived thread of its own, for measurements interleaved with requests to the
     * service: both then see the same background load on a shared machine.
     */
    static final class Runner implements AutoCloseable {
        private final java.util.concurrent.ExecutorService thread = java.util.concurrent.Executors
                .newSingleThreadExecutor(r -> new Thread(r, "raw-forward-interleaved"));
        private final Classifier classifier;
        private final List<DecodedImage> batch;

        Runner(Classifier classifier, DecodedImage image, int batchSize) throws Exception {
            this.classifier = classifier;
            this.batch = Collections.nCopies(batchSize, image);
            thread.submit(() -> {
                Engines.pytorch();
                JniUtils.setGradMode(false);
                classifier.classify(batch, 5);
                classifier.classify(batch, 5);
            }).get();
        }

        int batchSize() {
            return batch.size();
        }

        /** Nanoseconds of one pass over the batch. */
        long timeOne() throws Exception {
            return thread.submit(() -> {
                long t = System.nanoTime();
                classifier.classify(batch, 5);
                return System.nanoTime() - t;
            }).get();
        }

        @Override
        public void close() {
            thread.shutdownNow();
        }
    }

    private static Stats onFreshThread(java.util.function.Supplier<Stats> work) {
        AtomicReference<Stats> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                Engines.pytorch();
                JniUtils.setGradMode(false);
                result.set(work.get());
            } catch (RuntimeException | Error e) {
                failure.set(e);
            }
        }, "raw-forward");
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (failure.get() != null) {
            throw new IllegalStateException("raw forward pass failed", failure.get());
        }
        return result.get();
    }
}
