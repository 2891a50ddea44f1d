package io.transferlab.trainer.service;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import io.transferlab.contracts.ErrorCode;
import io.transferlab.contracts.ErrorInfo;
import io.transferlab.contracts.model.ModelPublished;
import io.transferlab.contracts.train.RunStatus;
import io.transferlab.contracts.train.TrainRequest;
import io.transferlab.contracts.train.TrainResult;
import io.transferlab.contracts.validation.MessageValidator;
import io.transferlab.contracts.validation.Violation;
import io.transferlab.trainer.config.TrainerConfig;
import io.transferlab.vision.TrainingCancelledException;
import io.transferlab.vision.VisionException;
import io.transferlab.vision.model.EngineFailures;
import io.transferlab.vision.train.CancellationToken;
import io.transferlab.vision.train.TrainingOutcome;
import io.transferlab.vision.train.TransferTrainer;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Runs train requests on worker threads, at most {@code concurrency} at a time, and decides what becomes of each
 * request's record: acknowledged once its result is published, or left unacknowledged when the trainer stops
 * before it could finish (so that another replica, or this one restarted, runs it again). Every request that is
 * not interrupted by a shutdown ends with exactly one result: SUCCEEDED, FAILED (with an error code and a readable
 * reason) or CANCELLED; a request whose run already finished gets its recorded result again.
 */
@Startup
@ApplicationScoped
public class TrainingService {

    private static final Logger LOG = Logger.getLogger(TrainingService.class);
    static final String SHUTDOWN_REASON = "trainer shutting down";

    private final TransferTrainer trainer;
    private final RunLedger ledger;
    private final CancelRegistry cancellations;
    private final TrainEvents events;
    private final TrainerMetrics metrics;
    private final TrainerIdentity identity;
    private final TrainerConfig config;
    private final RunResults results;
    private final ExecutorService workers;
    private final ResultDelivery delivery;
    private final RunLeases leases;
    private final StopSignal stop = new StopSignal();

    public TrainingService(TransferTrainer trainer, RunLedger ledger, CancelRegistry cancellations, TrainEvents events,
            TrainerMetrics metrics, TrainerIdentity identity, TrainerConfig config) {
        this.trainer = trainer;
        this.ledger = ledger;
        this.cancellations = cancellations;
        this.events = events;
        this.metrics = metrics;
        this.identity = identity;
        this.config = config;
        this.results = new RunResults(identity.trainerId(), identity.device());
        this.delivery = new ResultDelivery(ledger, trainer.store(), events, metrics, config.publishRetryDelay(), stop);
        this.workers = Executors.newFixedThreadPool(config.concurrency(), named("trainer-worker-"));
        this.leases = new RunLeases(ledger, identity.instance(), config.leaseTimeout(), config.leaseCheckInterval(),
                stop);
        LOG.infof("trainer %s ready: device %s, %d run(s) at a time, model store %s, data %s", identity.trainerId(),
                identity.device(), config.concurrency(), trainer.store().root(), config.dataDir());
    }

    /**
     * Runs {@code request} on a worker; the stage completes (never exceptionally) with what to do with its record.
     */
    public CompletionStage<Disposition> submit(TrainRequest request, String correlationId) {
        if (isStopping()) {
            return CompletableFuture.completedFuture(Disposition.LEAVE_UNACKNOWLEDGED);
        }
        CompletableFuture<Disposition> done = new CompletableFuture<>();
        try {
            workers.execute(() -> done.complete(handle(request, correlationId)));
        } catch (RejectedExecutionException e) {
            // only after stop(): the workers no longer take runs
            done.complete(Disposition.LEAVE_UNACKNOWLEDGED);
        }
        return done;
    }

    /** True once the service began to shut down: nothing new starts, runs in progress stop at their next batch. */
    public boolean isStopping() {
        return stop.isRaised();
    }

    public int activeRuns() {
        return metrics.activeRuns();
    }

    private Disposition handle(TrainRequest request, String correlationId) {
        try {
            return process(request, correlationId);
        } catch (RuntimeException | Error e) {
            if (isStopping()) {
                LOG.warnf(e, "run %s: interrupted by shutdown; left unacknowledged for another trainer",
                        request.runId());
                return Disposition.LEAVE_UNACKNOWLEDGED;
            }
            // A bug or a broken model-store volume: still one honest result, so the consumer moves on.
            LOG.errorf(e, "run %s: the trainer failed before the run could train", request.runId());
            return stopped(request, RunStatus.FAILED, ErrorInfo.of(ErrorCode.INTERNAL, describe(e)), null,
                    Instant.now(), correlationId);
        }
    }

    private Disposition process(TrainRequest request, String correlationId) {
        String runId = request.runId();
        Optional<TrainResult> recorded = ledger.finished(runId);
        if (recorded.isPresent()) {
            return delivery.redeliver(recorded.get(), correlationId);
        }
        Instant received = Instant.now();
        List<Violation> violations = MessageValidator.validate(request);
        if (!violations.isEmpty()) {
            String reason = "invalid train request: " + violations.stream().map(Violation::toString)
                    .collect(Collectors.joining("; "));
            LOG.warnf("run %s: %s (correlation %s)", runId, reason, correlationId);
            return stopped(request, RunStatus.FAILED, ErrorInfo.of(ErrorCode.INVALID_SPEC, reason), null, received,
                    correlationId);
        }
        Optional<String> cancelled = cancellations.cancelled(runId, request.owner());
        if (cancelled.isPresent()) {
            LOG.infof("run %s: cancelled before it started (%s)", runId, cancelled.get());
            return stopped(request, RunStatus.CANCELLED, ErrorInfo.of(ErrorCode.CANCELLED,
                    "cancelled before it started: " + cancelled.get()), null, received, correlationId);
        }
        RunLeases.Acquired lease = leases.acquire(runId);
        if (lease instanceof RunLeases.Finished finished) {
            return delivery.redeliver(finished.result(), correlationId);
        }
        if (lease instanceof RunLeases.Stopped) {
            return Disposition.LEAVE_UNACKNOWLEDGED;
        }
        try {
            int deaths = ((RunLeases.Granted) lease).deaths();
            if (deaths >= config.maxCrashes()) {
                // The request itself may be what kills trainers (the kernel's OOM killer, a native crash): training
                // it again would take this replica down too and keep its partition blocked. A result ends it.
                String reason = "the trainer died " + deaths + " times running this (limit "
                        + "transferlab.trainer.max-crashes=" + config.maxCrashes() + "); it is not trained again";
                LOG.errorf("run %s: %s", runId, reason);
                return stopped(request, RunStatus.FAILED, ErrorInfo.of(ErrorCode.TRAINER_CRASHED, reason), null,
                        received, correlationId);
            }
            return train(request, correlationId);
        } finally {
            leases.release(runId);
        }
    }

    private Disposition train(TrainRequest request, String correlationId) {
        String runId = request.runId();
        Instant startedAt = Instant.now();
        CancellationToken token = cancellations.open(runId, request.owner());
        if (isStopping()) {
            token.cancel(SHUTDOWN_REASON); // stop() may have cancelled the running tokens just before this one
        }
        ProgressReporter progress = new ProgressReporter(request, correlationId, identity.device(), startedAt,
                events, metrics);
        metrics.runStarted();
        LOG.infof("run %s: training %s on %s as trainer %s (correlation %s)", runId, request.spec().dataset(),
                identity.device(), identity.trainerId(), correlationId);
        try {
            // The owner fields are trusted as sent: only the gateway and the tuner may write train requests (Kafka
            // ACLs). The store refuses to publish over another key's model unless the owner is an admin.
            TrainingOutcome outcome = trainer.train(runId, request.effectiveModelId(), request.requester(),
                    request.spec(), progress, token);
            TrainResult result = results.succeeded(request, outcome, startedAt, Instant.now());
            ModelPublished model = outcome.card() == null ? null
                    : RunResults.announcement(trainer.store(), outcome.card());
            return delivery.deliver(result, model, correlationId, progress);
        } catch (RuntimeException | Error e) {
            if (isStopping()) {
                // Stopped (or broken) by the shutdown itself: not the run's fault, so no result at all.
                LOG.warnf("run %s: interrupted by shutdown after %d epoch(s) (%s); no result, left unacknowledged "
                        + "for another trainer", runId, progress.history().size(), describe(e));
                return Disposition.LEAVE_UNACKNOWLEDGED;
            }
            return ended(request, correlationId, progress, startedAt, token, e);
        } finally {
            cancellations.close(runId);
            metrics.runEnded();
        }
    }

    /** The result of a run that threw: CANCELLED on request, or FAILED with the exception's error code. */
    private Disposition ended(TrainRequest request, String correlationId, ProgressReporter progress,
            Instant startedAt, CancellationToken token, Throwable thrown) {
        if (thrown instanceof TrainingCancelledException e) {
            String reason = token.reason() != null ? token.reason() : e.getMessage();
            return stopped(request, RunStatus.CANCELLED, ErrorInfo.of(ErrorCode.CANCELLED, reason), progress,
                    startedAt, correlationId);
        }
        if (thrown instanceof VisionException e) {
            return failed(request, correlationId, progress, startedAt, ErrorInfo.of(e.code(), e.getMessage()), e);
        }
        ErrorCode code = EngineFailures.isOutOfMemory(thrown) ? ErrorCode.OUT_OF_MEMORY : ErrorCode.INTERNAL;
        return failed(request, correlationId, progress, startedAt, ErrorInfo.of(code, describe(thrown)), thrown);
    }

    private Disposition failed(TrainRequest request, String correlationId, ProgressReporter progress,
            Instant startedAt, ErrorInfo error, Throwable cause) {
        if (error.code() == ErrorCode.INTERNAL || error.code() == ErrorCode.OUT_OF_MEMORY) {
            LOG.errorf(cause, "run %s: failed with %s", request.runId(), error.code());
        } else {
            LOG.warnf("run %s: failed with %s: %s", request.runId(), error.code(), error.message());
        }
        return stopped(request, RunStatus.FAILED, error, progress, startedAt, correlationId);
    }

    /**
     * Delivers a FAILED or CANCELLED result; {@code progress} (null before training began) supplies the epochs that
     * finished.
     */
    private Disposition stopped(TrainRequest request, RunStatus status, ErrorInfo error, ProgressReporter progress,
            Instant startedAt, String correlationId) {
        TrainResult result = results.stopped(request, status, error,
                progress == null ? List.of() : progress.history(), progress == null ? null : progress.imagesPerSecond(),
                startedAt, Instant.now());
        return delivery.deliver(result, null, correlationId, progress);
    }

    void onShutdown(@Observes ShutdownEvent event) {
        stop();
    }

    /**
     * The shutdown path (SIGTERM): takes no new runs, stops the running ones at their next batch without a result,
     * leaves their records unacknowledged and gives their leases up, so another replica runs them at once.
     */
    @PreDestroy
    public synchronized void stop() {
        if (isStopping()) {
            return;
        }
        stop.raise();
        int running = metrics.activeRuns();
        LOG.infof("trainer %s stopping: %d run(s) in progress will be left for another trainer",
                identity.trainerId(), running);
        cancellations.cancelAllRunning(SHUTDOWN_REASON);
        workers.shutdown();
        try {
            if (!workers.awaitTermination(config.shutdownWait().toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warnf("trainer %s: a run did not stop within %s", identity.trainerId(), config.shutdownWait());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        leases.close();
    }

    static String describe(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
