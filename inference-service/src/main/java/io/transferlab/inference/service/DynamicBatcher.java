package io.transferlab.inference.service;

import io.transferlab.vision.image.DecodedImage;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Groups concurrent images for the same model version into one forward pass, up to {@code maxBatchSize} images or
 * until the first of them has waited {@code maxBatchDelay}, and runs the passes on a few long-lived worker threads
 * (PyTorch keeps grad mode, predictors and its OpenMP team per thread, so threads are made once and warmed up).
 * The queue is bounded by images and by pixel bytes: a caller either waits for room up to its own limit or gets a
 * {@link BatcherBusyException}, never an out-of-memory error.
 *
 * <p>Batches form per {@link LoadedModel}, not per model id, so a hot reload never mixes two versions in a pass.
 * A worker forming a batch claims that model's queue while it waits for the batch to fill; other workers serve
 * other models meanwhile. Across models the oldest waiting image goes first.
 *
 * <p>What the rest of the service sees of the batcher; admission, the budget and the forming of batches are in
 * {@link BatchQueue}, the threads, the forward passes and the drain in {@link BatchWorkers}.
 */
public final class DynamicBatcher implements AutoCloseable {

    /** What the batcher does, for metrics. */
    public interface Listener {
        Listener NONE = new Listener() {
        };

        default void batch(LoadedModel model, int size, long inferenceNanos) {
        }

        default void batchFailed(LoadedModel model, int size, Throwable failure) {
        }
    }

    private final BatchPolicy policy;
    private final BatchQueue queue;
    private final BatchWorkers workers;

    public DynamicBatcher(BatchPolicy policy, Listener listener) {
        this.policy = policy;
        this.queue = new BatchQueue(policy);
        this.workers = new BatchWorkers(queue, policy.workers(), listener);
    }

    public BatchPolicy policy() {
        return policy;
    }

    /**
     * Queues images for one model version, all or none, and answers each with its own future (completed on a
     * worker thread). Waits up to {@code maxWait} for room.
     *
     * @throws BatcherBusyException when there is no room for all of them within {@code maxWait}, or the batcher stops
     * @throws IllegalArgumentException when more images are given than the queue can ever hold
     */
    public List<CompletableFuture<BatchOutcome>> submit(LoadedModel model, List<DecodedImage> images, int topK,
            Duration maxWait) {
        return submit(model, images, topK, maxWait, null);
    }

    /**
     * Like {@link #submit(LoadedModel, List, int, Duration)} for images whose memory was reserved before they were
     * decoded: the reservation turns into queued bytes (so the byte budget is not checked twice) and is closed.
     */
    public List<CompletableFuture<BatchOutcome>> submit(LoadedModel model, List<DecodedImage> images, int topK,
            Duration maxWait, Reservation reservation) {
        try {
            return queue.add(model, images, topK, maxWait, reservation);
        } finally {
            if (reservation != null) {
                reservation.close();
            }
        }
    }

    /**
     * Sets {@code size} bytes of the queue's byte budget aside for images about to be decoded, so that decoding
     * itself cannot take more memory than the budget: a burst of large images waits (up to {@code maxWait}) or is
     * refused instead of filling the heap. The first reservation into an empty queue is always granted (one large
     * image must be able to pass); close the reservation when the images are queued or have failed.
     *
     * @throws BatcherBusyException when the budget has no room for {@code size} within {@code maxWait}
     */
    public Reservation reserve(long size, Duration maxWait) {
        return queue.reserve(size, maxWait);
    }

    /** Bytes reserved for images being decoded now. */
    public long reservedBytes() {
        return queue.reservedBytes();
    }

    /** See {@link #reserve}; closing it twice is harmless. */
    public static final class Reservation implements AutoCloseable {
        private final BatchQueue queue;
        private final long size;
        /** Guarded by the queue's lock. */
        private boolean released;

        Reservation(BatchQueue queue, long size) {
            this.queue = queue;
            this.size = size;
        }

        public long size() {
            return size;
        }

        /** Called by the queue, under its lock: true the first time only. */
        boolean markReleased() {
            if (released) {
                return false;
            }
            released = true;
            return true;
        }

        @Override
        public void close() {
            queue.release(this);
        }
    }

    /**
     * Announces a request that is on its way into the queue (its model is being leased, its images decoded); close
     * the token once it is queued or has failed. With an adaptive delay a forming batch waits only while such
     * requests exist.
     */
    public Arrival arriving() {
        return queue.arriving();
    }

    /** See {@link #arriving()}; closing it twice is harmless. */
    public static final class Arrival implements AutoCloseable {
        private final BatchQueue queue;
        /** Guarded by the queue's lock. */
        private boolean closed;

        Arrival(BatchQueue queue) {
            this.queue = queue;
        }

        /** Called by the queue, under its lock: true the first time only. */
        boolean markClosed() {
            if (closed) {
                return false;
            }
            closed = true;
            return true;
        }

        @Override
        public void close() {
            queue.arrived(this);
        }
    }

    /** Images waiting for a forward pass now. */
    public int depth() {
        return queue.depth();
    }

    /** Decoded pixel bytes waiting now. */
    public long queuedBytes() {
        return queue.queuedBytes();
    }

    /** Whether every worker thread is alive and taking work. */
    public boolean isRunning() {
        return queue.isOpen() && workers.allAlive();
    }

    /**
     * Runs {@code task} once on every worker thread (between batches) and waits for all of them: warm-up of a new
     * model on the threads that will run it.
     *
     * @throws IllegalStateException when the workers do not finish within {@code timeout} or a task fails
     */
    public void runOnEveryWorker(Runnable task, Duration timeout) {
        workers.runOnEach(task, timeout);
    }

    /**
     * Stops taking images, lets the workers finish what is queued within {@code drain}, then fails whatever is
     * left with {@link BatcherBusyException}.
     */
    public void close(Duration drain) {
        workers.drainAndStop(drain);
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }
}
