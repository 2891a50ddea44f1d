package io.transferlab.inference.service;

import ai.djl.pytorch.jni.JniUtils;
import io.transferlab.contracts.classify.Prediction;
import io.transferlab.inference.service.BatchQueue.Batch;
import io.transferlab.inference.service.BatchQueue.QueuedImage;
import io.transferlab.inference.service.BatchQueue.Work;
import io.transferlab.vision.Engines;
import io.transferlab.vision.image.DecodedImage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The worker side of the {@link DynamicBatcher}: a few long-lived threads that take batches from the
 * {@link BatchQueue} and run their forward passes (PyTorch keeps grad mode, predictors and its OpenMP team per
 * thread, so threads are made once and warmed up), tasks run once on every thread, and the drain on shutdown.
 */
final class BatchWorkers {

    /** The facade's category: what operators filter the batcher's log lines by. */
    private static final Logger LOG = Logger.getLogger(DynamicBatcher.class);

    private final BatchQueue queue;
    private final DynamicBatcher.Listener listener;
    private final List<Worker> workers;

    /** Starts {@code count} worker threads that take their work from {@code queue}. */
    BatchWorkers(BatchQueue queue, int count, DynamicBatcher.Listener listener) {
        this.queue = queue;
        this.listener = listener;
        List<Worker> started = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Worker w = new Worker("inference-worker-" + i);
            started.add(w);
            w.thread.start();
        }
        this.workers = List.copyOf(started);
    }

    /** Whether every worker thread is alive. */
    boolean allAlive() {
        return workers.stream().allMatch(w -> w.thread.isAlive());
    }

    /**
     * Runs {@code task} once on every worker thread (between batches) and waits for all of them.
     *
     * @throws IllegalStateException when the workers do not finish within {@code timeout} or a task fails
     */
    void runOnEach(Runnable task, Duration timeout) {
        CountDownLatch done = new CountDownLatch(workers.size());
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        Runnable counted = () -> {
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                failures.add(e);
            } finally {
                done.countDown();
            }
        };
        if (!queue.handToWorkers(() -> workers.forEach(w -> w.tasks.add(counted)))) {
            throw new IllegalStateException("the batcher is stopped");
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

    private void execute(Batch batch) {
        long started = System.nanoTime();
        List<QueuedImage> queued = batch.images();
        int topK = 1;
        List<DecodedImage> images = new ArrayList<>(queued.size());
        for (QueuedImage q : queued) {
            images.add(q.image);
            topK = Math.max(topK, q.topK);
        }
        List<List<Prediction>> predictions;
        try {
            predictions = batch.model().classifier().classify(images, topK);
        } catch (RuntimeException | Error e) {
            listener.batchFailed(batch.model(), queued.size(), e);
            LOG.warnf(e, "forward pass of %d images on %s failed", queued.size(), batch.model());
            for (QueuedImage q : queued) {
                q.result.completeExceptionally(e);
            }
            return;
        }
        long inference = System.nanoTime() - started;
        listener.batch(batch.model(), queued.size(), inference);
        for (int i = 0; i < queued.size(); i++) {
            QueuedImage q = queued.get(i);
            List<Prediction> ranked = predictions.get(i);
            q.result.complete(new BatchOutcome(ranked.subList(0, Math.min(q.topK, ranked.size())), queued.size(),
                    started - q.enqueuedAt, inference));
        }
    }

    /**
     * Closes the queue, lets the workers finish what is queued within {@code drain}, then fails whatever is left
     * with {@link BatcherBusyException}.
     */
    void drainAndStop(Duration drain) {
        if (!queue.close()) {
            return;
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
        List<QueuedImage> left = queue.removeAll();
        for (Worker w : workers) {
            if (w.thread.isAlive()) {
                w.thread.interrupt();
            }
        }
        BatcherBusyException stopped =
                new BatcherBusyException("busy: the service stopped before this image's forward pass");
        left.forEach(q -> q.result.completeExceptionally(stopped));
        if (!left.isEmpty()) {
            LOG.warnf("%d queued images were not classified: the service stopped", left.size());
        }
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
                    work = queue.next(tasks);
                } catch (InterruptedException e) {
                    return;
                }
                if (work == null) {
                    return;
                }
                if (work.task() != null) {
                    work.task().run();
                } else {
                    execute(work.batch());
                }
            }
        }
    }
}
