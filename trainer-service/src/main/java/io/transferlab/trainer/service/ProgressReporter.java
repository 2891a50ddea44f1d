package io.transferlab.trainer.service;

import io.transferlab.contracts.SchemaVersion;
import io.transferlab.contracts.train.EpochMetrics;
import io.transferlab.contracts.train.TrainProgress;
import io.transferlab.contracts.train.TrainRequest;
import io.transferlab.vision.train.TrainingListener;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Hears one run's epochs on its training thread and publishes one progress message per epoch without holding
 * training up. Each message is handed to the broker only after the previous one was acknowledged (or given up):
 * the connector re-sends a failed record on its own, which would put a re-sent epoch after a later one; chained,
 * the epochs stay in order even through a broker outage (a re-send may still repeat an epoch). {@link #awaitSent}
 * lets the result wait for them, so that no subscriber sees the result before the last epoch.
 */
final class ProgressReporter implements TrainingListener {

    private static final Logger LOG = Logger.getLogger(ProgressReporter.class);

    private final TrainRequest request;
    private final String correlationId;
    private final Instant startedAt;
    private final TrainEvents events;
    private final TrainerMetrics metrics;
    private final List<EpochMetrics> history = new ArrayList<>();
    /** The last progress message handed over; the next one goes after it. */
    private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);
    private volatile String device;
    private double throughputSum;

    ProgressReporter(TrainRequest request, String correlationId, String device, Instant startedAt, TrainEvents events,
            TrainerMetrics metrics) {
        this.request = request;
        this.correlationId = correlationId;
        this.device = device;
        this.startedAt = startedAt;
        this.events = events;
        this.metrics = metrics;
    }

    @Override
    public void onStart(String runId, int trainImages, int validationImages, int testImages, String device) {
        this.device = device;
    }

    @Override
    public synchronized void onEpoch(EpochMetrics epoch, int totalEpochs, double imagesPerSecond) {
        history.add(epoch);
        metrics.epoch(imagesPerSecond);
        throughputSum += imagesPerSecond;
        TrainProgress progress = new TrainProgress(SchemaVersion.CURRENT, request.runId(), request.studyId(), epoch,
                totalEpochs, Duration.between(startedAt, Instant.now()).toMillis(), imagesPerSecond, device,
                Instant.now());
        tail = tail.handle((ok, failure) -> null)
                .thenComposeAsync(ignored -> events.progress(progress, correlationId))
                .whenComplete((ok, failure) -> {
                    if (failure != null) {
                        LOG.warnf("run %s: progress of epoch %d was not published: %s", request.runId(),
                                epoch.epoch(), failure.getMessage());
                    }
                });
    }

    /** Waits until the broker has answered for every progress message (failures are logged, not retried). */
    void awaitSent(Duration max) {
        CompletableFuture<Void> last;
        synchronized (this) {
            last = tail;
        }
        try {
            last.get(max.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // already logged per message; progress is informative, the result is what must arrive
        }
    }

    synchronized List<EpochMetrics> history() {
        return List.copyOf(history);
    }

    /** Mean training throughput of the epochs that finished, or null before the first. */
    synchronized Double imagesPerSecond() {
        return history.isEmpty() ? null : throughputSum / history.size();
    }
}
