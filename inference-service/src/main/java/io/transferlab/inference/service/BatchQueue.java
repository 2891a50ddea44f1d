package io.transferlab.inference.service;

import io.transferlab.vision.image.DecodedImage;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The admission side of the {@link DynamicBatcher}: the queue of images waiting for a forward pass, bounded by
 * images and by pixel bytes (with reservations for images still being decoded), the requests still arriving, and
 * the forming of batches from it. A caller either waits for room up to its own limit or gets a
 * {@link BatcherBusyException}, never an out-of-memory error.
 *
 * <p>Batches form per {@link LoadedModel}, not per model id, so a hot reload never mixes two versions in a pass.
 * A worker forming a batch claims that model's queue while it waits for the batch to fill; other workers serve
 * other models meanwhile. Across models the oldest waiting image goes first.
 *
 * <p>One lock guards all of it, and the workers wait on it too (see {@link #next}), so that a worker waiting for
 * images also wakes for a task given to it.
 */
final class BatchQueue {

    /** One image waiting for its forward pass, and the future its caller holds. */
    static final class QueuedImage {
        final DecodedImage image;
        final int topK;
        final long bytes;
        final long enqueuedAt;
        final CompletableFuture<BatchOutcome> result = new CompletableFuture<>();

        QueuedImage(DecodedImage image, int topK, long enqueuedAt) {
            this.image = image;
            this.topK = topK;
            this.bytes = image.pixels().length;
            this.enqueuedAt = enqueuedAt;
        }
    }

    /** Images of one model version, taken from the queue for one forward pass. */
    record Batch(LoadedModel model, List<QueuedImage> images) {
    }

    /** A unit of work for one worker: a batch, or a task every worker runs once (warm-up). */
    record Work(Batch batch, Runnable task) {
    }

    private static final class ModelQueue {
        final LoadedModel model;
        final ArrayDeque<QueuedImage> images = new ArrayDeque<>();
        boolean claimed;

        ModelQueue(LoadedModel model) {
            this.model = model;
        }
    }

    private final BatchPolicy policy;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition workAvailable = lock.newCondition();
    private final Condition roomAvailable = lock.newCondition();
    /** Identity: two versions of a model are two queues. Insertion order is irrelevant: the oldest head wins. */
    private final Map<LoadedModel, ModelQueue> queues = new IdentityHashMap<>();
    private int depth;
    private long bytes;
    /** Bytes set aside for images being decoded ({@link #reserve}): they count against the same budget. */
    private long reserved;
    /** Requests between {@link #arriving()} and their submission: what a forming batch may wait for. */
    private int arriving;
    private boolean open = true;

    BatchQueue(BatchPolicy policy) {
        this.policy = policy;
    }

    /**
     * Queues images for one model version, all or none, and answers each with its own future. Waits up to
     * {@code maxWait} for room. A reservation's bytes turn into queued bytes, so the byte budget is not checked
     * twice; the caller still closes it.
     *
     * @throws BatcherBusyException when there is no room for all of them within {@code maxWait}, or the queue closes
     * @throws IllegalArgumentException when more images are given than the queue can ever hold
     */
    List<CompletableFuture<BatchOutcome>> add(LoadedModel model, List<DecodedImage> images, int topK,
            Duration maxWait, DynamicBatcher.Reservation reservation) {
        if (images.isEmpty()) {
            return List.of();
        }
        if (images.size() > policy.queueCapacity()) {
            throw new IllegalArgumentException(images.size() + " images in one request; at most "
                    + policy.queueCapacity() + " can be queued at once");
        }
        long size = 0;
        for (DecodedImage image : images) {
            size += image.pixels().length;
        }
        long waitNanos = maxWait.toNanos();
        List<CompletableFuture<BatchOutcome>> results = new ArrayList<>(images.size());
        lock.lock();
        try {
            while (open && !(reservation != null ? depth + images.size() <= policy.queueCapacity()
                    : hasRoom(images.size(), size))) {
                if (waitNanos <= 0) {
                    throw new BatcherBusyException("busy: " + depth + " images (" + bytes / 1_000_000
                            + " MB) are waiting "
                            + "for a forward pass, the most this service queues (" + policy.queueCapacity()
                            + " images, " + policy.queueMaxBytes() / 1_000_000 + " MB); retry later");
                }
                try {
                    waitNanos = roomAvailable.awaitNanos(waitNanos);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new BatcherBusyException("busy: interrupted while waiting for room in the queue");
                }
            }
            if (!open) {
                throw new BatcherBusyException("busy: the service is shutting down");
            }
            ModelQueue queue = queues.computeIfAbsent(model, ModelQueue::new);
            long now = System.nanoTime();
            for (DecodedImage image : images) {
                QueuedImage queued = new QueuedImage(image, topK, now);
                queue.images.add(queued);
                results.add(queued.result);
            }
            depth += images.size();
            bytes += size;
            if (reservation != null) {
                releaseLocked(reservation);
            }
            workAvailable.signalAll();
        } finally {
            lock.unlock();
        }
        return results;
    }

    private boolean hasRoom(int count, long size) {
        if (depth + count > policy.queueCapacity()) {
            return false;
        }
        return depth == 0 && reserved == 0 || bytes + reserved + size <= policy.queueMaxBytes();
    }

    /**
     * Sets {@code size} bytes of the byte budget aside for images about to be decoded; see
     * {@link DynamicBatcher#reserve}.
     *
     * @throws BatcherBusyException when the budget has no room for {@code size} within {@code maxWait}
     */
    DynamicBatcher.Reservation reserve(long size, Duration maxWait) {
        long waitNanos = maxWait.toNanos();
        lock.lock();
        try {
            while (open && !(bytes + reserved == 0 || bytes + reserved + size <= policy.queueMaxBytes())) {
                if (waitNanos <= 0) {
                    throw new BatcherBusyException("busy: decoding these images needs " + size / 1_000_000 + " MB; "
                            + (bytes + reserved) / 1_000_000 + " MB of the " + policy.queueMaxBytes() / 1_000_000
                            + " MB image budget are taken by images being decoded or waiting; retry later");
                }
                try {
                    waitNanos = roomAvailable.awaitNanos(waitNanos);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new BatcherBusyException("busy: interrupted while waiting for room in the image budget");
                }
            }
            if (!open) {
                throw new BatcherBusyException("busy: the service is shutting down");
            }
            reserved += size;
            return new DynamicBatcher.Reservation(this, size);
        } finally {
            lock.unlock();
        }
    }

    /** Gives a reservation's bytes back to the budget, once however often it is called. */
    void release(DynamicBatcher.Reservation reservation) {
        lock.lock();
        try {
            releaseLocked(reservation);
        } finally {
            lock.unlock();
        }
    }

    private void releaseLocked(DynamicBatcher.Reservation reservation) {
        if (reservation.markReleased()) {
            reserved -= reservation.size();
            roomAvailable.signalAll();
        }
    }

    /** Bytes reserved for images being decoded now. */
    long reservedBytes() {
        lock.lock();
        try {
            return reserved;
        } finally {
            lock.unlock();
        }
    }

    /** Counts a request on its way into the queue; see {@link DynamicBatcher#arriving()}. */
    DynamicBatcher.Arrival arriving() {
        lock.lock();
        try {
            arriving++;
        } finally {
            lock.unlock();
        }
        return new DynamicBatcher.Arrival(this);
    }

    /** Uncounts an arriving request, once however often it is called; a forming batch may stop waiting for it. */
    void arrived(DynamicBatcher.Arrival arrival) {
        lock.lock();
        try {
            if (arrival.markClosed()) {
                arriving--;
                workAvailable.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Images waiting for a forward pass now. */
    int depth() {
        lock.lock();
        try {
            return depth;
        } finally {
            lock.unlock();
        }
    }

    /** Decoded pixel bytes waiting now. */
    long queuedBytes() {
        lock.lock();
        try {
            return bytes;
        } finally {
            lock.unlock();
        }
    }

    /** Whether images are still taken. */
    boolean isOpen() {
        lock.lock();
        try {
            return open;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs {@code addTasks} (which hands tasks to the workers) under the lock while the queue is open, then wakes
     * the workers: under the lock, because a worker looks at its tasks and then waits on the same lock, so a task
     * added outside it could slip in between and wait until the next image arrives.
     *
     * @return false, without running {@code addTasks}, when the queue is closed
     */
    boolean handToWorkers(Runnable addTasks) {
        lock.lock();
        try {
            if (!open) {
                return false;
            }
            addTasks.run();
            workAvailable.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * What a worker does next: a task of its own ({@code tasks}, polled under the lock), else a batch of the model
     * whose oldest image has waited longest, else it waits for either.
     *
     * @return null once the queue is closed and holds no unclaimed images
     */
    Work next(Queue<Runnable> tasks) throws InterruptedException {
        lock.lock();
        try {
            while (true) {
                Runnable task = tasks.poll();
                if (task != null) {
                    return new Work(null, task);
                }
                ModelQueue queue = oldestUnclaimed();
                if (queue == null) {
                    if (!open) {
                        return null;
                    }
                    workAvailable.await();
                    continue;
                }
                return new Work(new Batch(queue.model, fill(queue)), null);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Waits (lock released) until the batch is full or its first image has waited long enough, then takes it. */
    private List<QueuedImage> fill(ModelQueue queue) throws InterruptedException {
        queue.claimed = true;
        try {
            long deadline = queue.images.peek().enqueuedAt + policy.maxBatchDelay().toNanos();
            while (open && queue.images.size() < policy.maxBatchSize()) {
                if (policy.adaptiveDelay() && arriving == 0) {
                    break;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                workAvailable.awaitNanos(left);
            }
        } finally {
            queue.claimed = false;
        }
        int n = Math.min(policy.maxBatchSize(), queue.images.size());
        List<QueuedImage> taken = new ArrayList<>(n);
        long takenBytes = 0;
        for (int i = 0; i < n; i++) {
            QueuedImage image = queue.images.poll();
            taken.add(image);
            takenBytes += image.bytes;
        }
        if (queue.images.isEmpty()) {
            queues.remove(queue.model);
        } else {
            workAvailable.signalAll();
        }
        depth -= n;
        bytes -= takenBytes;
        roomAvailable.signalAll();
        return taken;
    }

    private ModelQueue oldestUnclaimed() {
        ModelQueue oldest = null;
        for (ModelQueue q : queues.values()) {
            if (!q.claimed && !q.images.isEmpty()
                    && (oldest == null || q.images.peek().enqueuedAt < oldest.images.peek().enqueuedAt)) {
                oldest = q;
            }
        }
        return oldest;
    }

    /**
     * Stops taking images: waiting callers and reservations get {@link BatcherBusyException}, forming batches stop
     * waiting to fill and workers stop waiting once nothing is left to take.
     *
     * @return false when it was closed already
     */
    boolean close() {
        lock.lock();
        try {
            if (!open) {
                return false;
            }
            open = false;
            workAvailable.signalAll();
            roomAvailable.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Takes every image still waiting out of the queue (the workers did not get to them) and empties it. */
    List<QueuedImage> removeAll() {
        List<QueuedImage> left = new ArrayList<>();
        lock.lock();
        try {
            for (ModelQueue q : queues.values()) {
                left.addAll(q.images);
            }
            queues.clear();
            depth = 0;
            bytes = 0;
        } finally {
            lock.unlock();
        }
        return left;
    }
}
