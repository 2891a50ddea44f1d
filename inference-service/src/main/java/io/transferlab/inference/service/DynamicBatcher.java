package io.transferlab.inference.service;

import ai.djl.pytorch.jni.JniUtils;
import io.transferlab.contracts.classify.Prediction;
import io.transferlab.vision.Engines;
import io.transferlab.vision.image.DecodedImage;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;

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
 */
public final class DynamicBatcher implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(DynamicBatcher.class);

    /** What the batcher does, for metrics. */
    public interface Listener {
        Listener NONE = new Listener() {
        };

        default void batch(LoadedModel model, int size, long inferenceNanos) {
        }

        default void batchFailed(LoadedModel model, int size, Throwable failure) {
        }
    }

    private static final class Job {
        final DecodedImage image;
        final int topK;
        final long bytes;
        final long enqueuedAt;
        final CompletableFuture<BatchOutcome> result = new CompletableFuture<>();

        Job(DecodedImage image, int topK, long enqueuedAt) {
            this.image = image;
            this.topK = topK;
            this.bytes = image.pixels().length;
            this.enqueuedAt = enqueuedAt;
        }
    }

    private static final class ModelQueue {
        final LoadedModel model;
        final ArrayDeque<Job> jobs = new ArrayDeque<>();
        boolean claimed;

        ModelQueue(LoadedModel model) {
            this.model = model;
        }
    }

    /** A unit of work for one worker: a batch, or a task every worker runs once (warm-up). */
    private record Work(ModelQueue queue, List<Job> jobs, Runnable task) {
    }

    private final BatchPolicy policy;
    private final Listener listener;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition workAvailable = lock.newCondition();
    private final Condition roomAvailable = lock.newCondition();
    /** Identity: two versions of a model are two queues. Insertion order is irrelevant: the oldest head wins. */
    private final Map<LoadedModel, ModelQueue> queues = new IdentityHashMap<>();
    private final List<Worker> workers = new ArrayList<>();
    private int depth;
    private long bytes;
    /** Bytes set aside for images being decoded ({@link #reserve}): they count against the same budget. */
    private long reserved;
    /** Requests between {@link #arriving()} and their submission: what a forming batch may wait for. */
    private int arriving;
    private boolean running = true;

    public DynamicBatcher(BatchPolicy policy, Listener listener) {
        this.policy = policy;
        this.listener = listener;
        for (int i = 0; i < policy.workers(); i++) {
            Worker w = new Worker("inference-worker-" + i);
            workers.add(w);
            w.thread.start();
        }
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
            return queue(model, images, topK, maxWait, reservation);
        } finally {
            if (reservation != null) {
                reservation.close();
            }
        }
    }

    private List<CompletableFuture<BatchOutcome>> queue(LoadedModel model, List<DecodedImage> images, int topK,
            Duration maxWait, Reservation reservation) {
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
            while (running && !(reservation != null ? depth + images.size() <= policy.queueCapacity()
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
            if (!running) {
                throw new BatcherBusyException("busy: the service is shutting down");
            }
            ModelQueue queue = queues.computeIfAbsent(model, ModelQueue::new);
            long now = System.nanoTime();
            for (DecodedImage image : images) {
                Job job = new Job(image, topK, now);
                queue.jobs.add(job);
                results.add(job.result);
            }
            depth += images.size();
            bytes += size;
            if (reservation != null) {
                reservation.releaseLocked();
            }
            workAvailable.signalAll();
        } finally {
            lock.unlock();
        }
        return results;
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
        long waitNanos = maxWait.toNanos();
        lock.lock();
        try {
            while (running && !(bytes + reserved == 0 || bytes + reserved + size <= policy.queueMaxBytes())) {
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
            if (!running) {
                throw new BatcherBusyException("busy: the service is shutting down");
            }
            reserved += size;
            return new Reservation(size);
        } finally {
            lock.unlock();
        }
    }

    /** Bytes reserved for images being decoded now. */
    public long reservedBytes() {
        lock.lock();
        try {
            return reserved;
        } finally {
            lock.unlock();
        }
    }

    /** See {@link #reserve}; closing it twice is harmless. */
    public final class Reservation implements AutoCloseable {
        private final long size;
        private boolean released;

        private Reservation(long size) {
            this.size = size;
        }

        public long size() {
            return size;
        }

        private void releaseLocked() {
            if (!released) {
                released = true;
                reserved -= size;
                roomAvailable.signalAll();
            }
        }

        @Override
        public void close() {
            lock.lock();
            try {
                releaseLocked();
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * Announces a request that is on its way into the queue (its model is being leased, its images decoded); close
     * the token once it is queued or has failed. With an adaptive delay a forming batch waits only while such
     * requests exist.
     */
    public Arrival arriving() {
        lock.lock();
        try {
            arriving++;
        } finally {
            lock.unlock();
        }
        return new Arrival();
    }

    /** See {@link #arriving()}; closing it twice is harmless. */
    public final class Arrival implements AutoCloseable {
        private boolean closed;

        private Arrival() {
        }

        @Override
        public void close() {
            lock.lock();
            try {
                if (!closed) {
                    closed = true;
                    arriving--;
                    workAvailable.signalAll();
                }
            } finally {
                lock.unlock();
            }
        }
    }

    private boolean hasRoom(int count, long size) {
        if (depth + count > policy.queueCapacity()) {
            return false;
        }
        return depth == 0 && reserved == 0 || bytes + reserved + size <= policy.queueMaxBytes();
    }

    /** Images waiting for a forward pass now. */
    public int depth() {
        lock.lock();
        try {
            return depth;
        } finally {
            lock.unlock();
        }
    }

    /** Decoded pixel bytes waiting now. */
    public long queuedBytes() {
        lock.lock();
        try {
            return bytes;
        } finally {
            lock.unlock();
        }
    }

    /** Whether every worker thread is alive and taking work. */
    public boolean isRunning() {
        lock.lock();
        try {
            return running && workers.stream().allMatch(w -> w.thread.isAlive());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs {@code task} once on every worker thread (between batches) and waits for all of them: warm-up of a new
     * model on the threads that will run it.
     *
     * @throws IllegalStateException when the workers do not finish within {@code timeout} or a task fails
     */
    public void runOnEveryWorker(Runnable task, Duration timeout) {
        CountDownLatch done = new CountDownLatch(workers.size());
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        Runnable counted = () -> {
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                failures.add(e);
            } finally {
                done.countDown();
            }
        };
        lock.lock();
        try {
            if (!running) {
                throw new IllegalStateException("the batcher is stopped");
            }
            for (Worker w : workers) {
                w.tasks.add(counted);
            }
            workAvailable.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            if (!done.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("the inference workers did not run a task within " + timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the inference workers ran a task", e);
        }
        if (!failures.isEmpty()) {
            Throwable first = failures.get(0);
            if (first instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(first);
        }
    }

    private Work next(Worker worker) throws InterruptedException {
        lock.lock();
        try {
            while (true) {
                Runnable task = worker.tasks.poll();
                if (task != null) {
                    return new Work(null, null, task);
                }
                ModelQueue queue = oldestUnclaimed();
                if (queue == null) {
                    if (!running) {
                        return null;
                    }
                    workAvailable.await();
                    continue;
                }
                return new Work(queue, fill(queue), null);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Waits (lock released) until the batch is full or its first image has waited long enough, then takes it. */
    private List<Job> fill(ModelQueue queue) throws InterruptedException {
        queue.claimed = true;
        try {
            long deadline = queue.jobs.peek().enqueuedAt + policy.maxBatchDelay().toNanos();
            while (running && queue.jobs.size() < policy.maxBatchSize()) {
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
        int n = Math.min(policy.maxBatchSize(), queue.jobs.size());
        List<Job> jobs = new ArrayList<>(n);
        long taken = 0;
        for (int i = 0; i < n; i++) {
            Job job = queue.jobs.poll();
            jobs.add(job);
            taken += job.bytes;
        }
        if (queue.jobs.isEmpty()) {
            queues.remove(queue.model);
        } else {
            workAvailable.signalAll();
        }
        depth -= n;
        bytes -= taken;
        roomAvailable.signalAll();
        return jobs;
    }

    private ModelQueue oldestUnclaimed() {
        ModelQueue oldest = null;
        for (ModelQueue q : queues.values()) {
            if (!q.claimed && !q.jobs.isEmpty()
                    && (oldest == null || q.jobs.peek().enqueuedAt < oldest.jobs.peek().enqueuedAt)) {
                oldest = q;
            }
        }
        return oldest;
    }

    private void execute(ModelQueue queue, List<Job> jobs) {
        long started = System.nanoTime();
        int topK = 1;
        List<DecodedImage> images = new ArrayList<>(jobs.size());
        for (Job job : jobs) {
            images.add(job.image);
            topK = Math.max(topK, job.topK);
        }
        List<List<Prediction>> predictions;
        try {
            predictions = queue.model.classifier().classify(images, topK);
        } catch (RuntimeException | Error e) {
            listener.batchFailed(queue.model, jobs.size(), e);
            LOG.warnf(e, "forward pass of %d images on %s failed", jobs.size(), queue.model);
            for (Job job : jobs) {
                job.result.completeExceptionally(e);
            }
            return;
        }
        long inference = System.nanoTime() - started;
        listener.batch(queue.model, jobs.size(), inference);
        for (int i = 0; i < jobs.size(); i++) {
            Job job = jobs.get(i);
            List<Prediction> ranked = predictions.get(i);
            job.result.complete(new BatchOutcome(ranked.subList(0, Math.min(job.topK, ranked.size())), jobs.size(),
                    started - job.enqueuedAt, inference));
        }
    }

    /**
     * Stops taking images, lets the workers finish what is queued within {@code drain}, then fails whatever is
     * left with {@link BatcherBusyException}.
     */
    public void close(Duration drain) {
        lock.lock();
        try {
            if (!running) {
                return;
            }
            running = false;
            workAvailable.signalAll();
            roomAvailable.signalAll();
        } finally {
            lock.unlock();
        }
        long deadline = System.nanoTime() + drain.toNanos();
        for (Worker w : workers) {
            try {
                w.thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        List<Job> left = new ArrayList<>();
        lock.lock();
        try {
            for (ModelQueue q : queues.values()) {
                left.addAll(q.jobs);
            }
            queues.clear();
            depth = 0;
            bytes = 0;
        } finally {
            lock.unlock();
        }
        for (Worker w : workers) {
            if (w.thread.isAlive()) {
                w.thread.interrupt();
            }
        }
        BatcherBusyException stopped =
                new BatcherBusyException("busy: the service stopped before this image's forward pass");
        left.forEach(j -> j.result.completeExceptionally(stopped));
        if (!left.isEmpty()) {
            LOG.warnf("%d queued images were not classified: the service stopped", left.size());
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }

    private final class Worker implements Runnable {
        final Thread thread;
        final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();

        Worker(String name) {
            this.thread = new Thread(this, name);
            // never keeps the JVM alive: an orderly shutdown drains the queue through close()
            this.thread.setDaemon(true);
        }

        @Override
        public void run() {
            // grad mode is per thread in libtorch; no autograd graph is ever needed here
            Engines.pytorch();
            JniUtils.setGradMode(false);
            while (true) {
                Work work;
                try {
                    work = next(this);
                } catch (InterruptedException e) {
                    return;
                }
                if (work == null) {
                    return;
                }
                if (work.task() != null) {
                    work.task().run();
                } else {
                    execute(work.queue(), work.jobs());
                }
            }
        }
    }
}
