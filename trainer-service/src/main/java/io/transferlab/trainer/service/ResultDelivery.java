package io.transferlab.trainer.service;

import io.transferlab.contracts.model.ModelPublished;
import io.transferlab.contracts.retry.Backoff;
import io.transferlab.contracts.train.RunStatus;
import io.transferlab.contracts.train.TrainResult;
import io.transferlab.vision.store.ModelStore;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Gets a finished run's result out: recorded in the ledger first (so a redelivered request can be answered without
 * training), then published with the model announcement, retrying until the broker takes both. The request's record
 * may be acknowledged only when this says so.
 */
final class ResultDelivery {

    private static final Logger LOG = Logger.getLogger(ResultDelivery.class);
    /** Upper bound on one wait for the broker; the producers' own delivery timeout (30 s) is shorter. */
    private static final Duration BROKER_WAIT = Duration.ofMinutes(2);
    /**
     * Upper bound on waiting for progress messages before the result: progress is informative and not retried, so a
     * broker that is away does not hold the result back longer than this.
     */
    private static final Duration PROGRESS_WAIT = Duration.ofSeconds(30);
    /** The longest pause between tries to publish: the first is {@code publish-retry-delay}, doubling up to this. */
    static final Duration MAX_RETRY_PAUSE = Duration.ofSeconds(30);

    private final RunLedger ledger;
    private final ModelStore store;
    private final TrainEvents events;
    private final TrainerMetrics metrics;
    private final Duration retryDelay;
    private final StopSignal stop;

    ResultDelivery(RunLedger ledger, ModelStore store, TrainEvents events, TrainerMetrics metrics, Duration retryDelay,
            StopSignal stop) {
        this.ledger = ledger;
        this.store = store;
        this.events = events;
        this.metrics = metrics;
        this.retryDelay = retryDelay;
        this.stop = stop;
    }

    /**
     * A run this replica finished: recorded first (from here on a redelivery republishes instead of training), then
     * published after the run's progress messages ({@code progress} is null for a run that never trained), so that
     * no subscriber sees the result before the last epoch.
     */
    Disposition deliver(TrainResult result, ModelPublished model, String correlationId, ProgressReporter progress) {
        try {
            ledger.record(result);
        } catch (RuntimeException e) {
            // Without the record a redelivery would train again; the result itself must still go out.
            LOG.errorf(e, "run %s: cannot record the result in %s", result.runId(), ledger.dir());
        }
        metrics.finished(result.status(), result.error() == null ? null : result.error().code(),
                Duration.ofMillis(result.durationMs() == null ? 0 : result.durationMs()));
        if (progress != null) {
            progress.awaitSent(PROGRESS_WAIT);
        }
        return publish(result, model, correlationId);
    }

    /** A run that finished before (here or on another replica): its recorded result and model, again. */
    Disposition redeliver(TrainResult result, String correlationId) {
        metrics.republished();
        LOG.infof("run %s: already finished (%s, by %s); republishing its recorded result without training",
                result.runId(), result.status(), result.trainerId());
        ModelPublished model = null;
        if (result.status() == RunStatus.SUCCEEDED && result.modelId() != null && result.modelVersion() != null) {
            model = store.find(result.modelId(), result.modelVersion())
                    .map(card -> RunResults.announcement(store, card)).orElse(null);
        }
        return publish(result, model, correlationId);
    }

    /** Retries until the broker takes the messages; the request stays unacknowledged (and its slot busy) meanwhile. */
    private Disposition publish(TrainResult result, ModelPublished model, String correlationId) {
        Backoff backoff = Backoff.doublingUpTo(retryDelay, MAX_RETRY_PAUSE);
        while (true) {
            try {
                if (model != null) {
                    events.modelPublished(model, correlationId).toCompletableFuture()
                            .get(BROKER_WAIT.toMillis(), TimeUnit.MILLISECONDS);
                }
                events.result(result, correlationId).toCompletableFuture()
                        .get(BROKER_WAIT.toMillis(), TimeUnit.MILLISECONDS);
                LOG.infof("run %s: %s result published%s (%d ms, trainer %s, correlation %s)", result.runId(),
                        result.status(), model == null ? "" : ", model " + model.modelId() + " v" + model.version(),
                        result.durationMs(), result.trainerId(), correlationId);
                return Disposition.ACKNOWLEDGE;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Disposition.LEAVE_UNACKNOWLEDGED;
            } catch (ExecutionException | TimeoutException e) {
                Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
                Duration pause = backoff.next();
                LOG.warnf("run %s: the broker did not take the result (%s); trying again in %s, the request stays "
                        + "unacknowledged", result.runId(), cause.getMessage(), pause);
                if (stop.await(pause)) {
                    return Disposition.LEAVE_UNACKNOWLEDGED; // recorded: whoever runs it again republishes it
                }
            }
        }
    }
}
