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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
    /** Upper bound on one wait for the broker; the producer's own delivery timeout is shorter. */
    private static final Duration BROKER_WAIT = Duration.ofMinutes(2);

    private final TransferTrainer trainer;
    private final RunLedger ledger;
    private final Cancellations cancellations;
    private final TrainEvents events;
    private final TrainerMetrics metrics;
    private final TrainerIdentity identity;
    private final TrainerConfig config;
    private final RunResults results;
    private final ExecutorService workers;
    private final ScheduledExecutorService heartbeats;
    private final Set<String> leased = ConcurrentHashMap.newKeySet();
    private final CountDownLatch stopping = new CountDownLatch(1);

    public TrainingService(TransferTrainer trainer, RunLedger ledger, Cancellations cancellations, TrainEvents events,
            TrainerMetrics metrics, TrainerIdentity identity, TrainerConfig config) {
        this.trainer = trainer;
        this.ledger = ledger;
        this.cancellations = cancellations;
        this.events = events;
        this.metrics = metrics;
        this.identity = identity;
        this.config = config;
        this.results = new RunResults(identity.trainerId(), identity.device());
        this.workers = Executors.newFixedThreadPool(config.concurrency(), named("trainer-worker-"));
        this.heartbeats = Executors.newSingleThreadScheduledExecutor(named("trainer-lease-heartbeat-"));
        long every = Math.max(1, config.leaseTimeout().toMillis() / 3);
        heartbeats.scheduleWithFixedDelay(this::heartbeat, every, every, TimeUnit.MILLISECONDS);
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
        return stopping.getCount() == 0;
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
            Instant now = Instant.now();
            return finish(results.stopped(request, RunStatus.FAILED, ErrorInfo.of(ErrorCode.INTERNAL, describe(e)),
                    List.of(), null, now, now), correlationId, null);
        }
    }

    private Disposition process(TrainRequest request, String correlationId) {
        String runId = request.runId();
        Optional<TrainResult> recorded = ledger.finished(runId);
        if (recorded.isPresent()) {
            return republish(recorded.get(), correlationId);
        }
        Instant received = Instant.now();
        List<Violation> violations = MessageValidator.validate(request);
        if (!violations.isEmpty()) {
            String reason = "invalid train request: " + violations.stream().map(Violation::toString)
                    .collect(Collectors.joining("; "));
            LOG.warnf("run %s: %s (correlation %s)", runId, reason, correlationId);
            return finish(results.stopped(request, RunStatus.FAILED, ErrorInfo.of(ErrorCode.INVALID_SPEC, reason),
                    List.of(), null, received, Instant.now()), correlationId, null);
        }
        Optional<String> cancelled = cancellations.cancelled(runId);
        if (cancelled.isPresent()) {
            LOG.infof("run %s: cancelled before it started (%s)", runId, cancelled.get());
            return finish(results.stopped(request, RunStatus.CANCELLED, ErrorInfo.of(ErrorCode.CANCELLED,
                    "cancelled before it started: " + cancelled.get()), List.of(), null, received, Instant.now()),
                    correlationId, null);
        }
        Optional<Disposition> elsewhere = takeLease(request, correlationId);
        if (elsewhere.isPresent()) {
            return elsewhere.get();
        }
        try {
            return train(request, correlationId);
        } finally {
            leased.remove(runId);
            ledger.release(runId, identity.instance());
        }
    }

    /**
     * Takes the run's lease, waiting while another replica holds a fresh one. Empty when this replica may train;
     * otherwise the disposition of a run that finished elsewhere meanwhile, or of a shutdown.
     */
    private Optional<Disposition> takeLease(TrainRequest request, String correlationId) {
        String runId = request.runId();
        boolean told = false;
        while (!isStopping()) {
            RunLedger.Claim claim = ledger.claim(runId, identity.instance());
            Optional<TrainResult> recorded = ledger.finished(runId);
            if (claim.taken()) {
                if (recorded.isPresent()) {
                    // the previous holder recorded its result between our two looks
                    ledger.release(runId, identity.instance());
                    return Optional.of(republish(recorded.get(), correlationId));
                }
                leased.add(runId);
                return Optional.empty();
            }
            if (recorded.isPresent()) {
                return Optional.of(republish(recorded.get(), correlationId));
            }
            if (!told) {
                LOG.infof("run %s: %s is training it (lease refreshed %d s ago); waiting for its result instead of "
                        + "training it twice", runId, claim.heldBy().holder(), claim.age().toSeconds());
                told = true;
            }
            if (awaitStop(config.leaseCheckInterval())) {
                break;
            }
        }
        return Optional.of(Disposition.LEAVE_UNACKNOWLEDGED);
    }

    private Disposition train(TrainRequest request, String correlationId) {
        String runId = request.runId();
        Instant startedAt = Instant.now();
        CancellationToken token = cancellations.open(runId);
        if (isStopping()) {
            token.cancel(SHUTDOWN_REASON); // stop() may have cancelled the running tokens just before this one
        }
        ProgressReporter progress = new ProgressReporter(request, correlationId, identity.device(), startedAt,
                events, metrics);
        metrics.runStarted();
        LOG.infof("run %s: training %s on %s as trainer %s (correlation %s)", runId, request.spec().dataset(),
                identity.device(), identity.trainerId(), correlationId);
        try {
            TrainingOutcome outcome = trainer.train(runId, request.effectiveModelId(), request.spec(), progress,
                    token);
            progress.awaitSent(BROKER_WAIT);
            TrainResult result = results.succeeded(request, outcome, startedAt, Instant.now());
            ModelPublished model = outcome.card() == null ? null
                    : RunResults.announcement(trainer.store(), outcome.card());
            return finish(result, correlationId, model);
        } catch (TrainingCancelledException e) {
            if (isStopping()) {
                LOG.warnf("run %s: interrupted by shutdown after %d epoch(s); no result, left unacknowledged for "
                        + "another trainer", runId, progress.history().size());
                return Disposition.LEAVE_UNACKNOWLEDGED;
            }
            progress.awaitSent(BROKER_WAIT);
            String reason = token.reason() != null ? token.reason() : e.getMessage();
            return finish(results.stopped(request, RunStatus.CANCELLED, ErrorInfo.of(ErrorCode.CANCELLED, reason),
                    progress.history(), progress.imagesPerSecond(), startedAt, Instant.now()), correlationId, null);
        } catch (VisionException e) {
            return failed(request, correlationId, progress, startedAt, ErrorInfo.of(e.code(), e.getMessage()), e);
        } catch (RuntimeException | Error e) {
            ErrorCode code = EngineFailures.isOutOfMemory(e) ? ErrorCode.OUT_OF_MEMORY : ErrorCode.INTERNAL;
            return failed(request, correlationId, progress, startedAt, ErrorInfo.of(code, describe(e)), e);
        } finally {
            cancellations.close(runId);
            metrics.runEnded();
        }
    }

    private Disposition failed(TrainRequest request, String correlationId, ProgressReporter progress,
            Instant startedAt, ErrorInfo error, Throwable cause) {
        if (error.code() == ErrorCode.INTERNAL || error.code() == ErrorCode.OUT_OF_MEMORY) {
            LOG.errorf(cause, "run %s: failed with %s", request.runId(), error.code());
        } else {
            LOG.warnf("run %s: failed with %s: %s", request.runId(), error.code(), error.message());
        }
        progress.awaitSent(BROKER_WAIT);
        return finish(results.stopped(request, RunStatus.FAILED, error, progress.history(),
                progress.imagesPerSecond(), startedAt, Instant.now()), correlationId, null);
    }

    /** Records the result durably, then publishes it (and the model); acknowledged only once the broker has both. */
    private Disposition finish(TrainResult result, String correlationId, ModelPublished model) {
        try {
            ledger.record(result);
        } catch (RuntimeException e) {
            // Without the record a redelivery would train again; the result itself must still go out.
            LOG.errorf(e, "run %s: cannot record the result in %s", result.runId(), ledger.dir());
        }
        metrics.finished(result.status(), result.error() == null ? null : result.error().code(),
                Duration.ofMillis(result.durationMs() == null ? 0 : result.durationMs()));
        return publish(result, model, correlationId);
    }

    private Disposition republish(TrainResult result, String correlationId) {
        metrics.republished();
        LOG.infof("run %s: already finished (%s, by %s); republishing its recorded result without training",
                result.runId(), result.status(), result.trainerId());
        ModelPublished model = null;
        if (result.status() == RunStatus.SUCCEEDED && result.modelId() != null && result.modelVersion() != null) {
            model = trainer.store().find(result.modelId(), result.modelVersion())
                    .map(card -> RunResults.announcement(trainer.store(), card)).orElse(null);
        }
        return publish(result, model, correlationId);
    }

    /** Retries until the broker takes the messages; the request stays unacknowledged (and nothing else runs) meanwhile. */
    private Disposition publish(TrainResult result, ModelPublished model, String correlationId) {
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
                LOG.warnf("run %s: the broker did not take the result (%s); trying again in %s, the request stays "
                        + "unacknowledged", result.runId(), cause.getMessage(), config.publishRetryDelay());
                if (awaitStop(config.publishRetryDelay())) {
                    return Disposition.LEAVE_UNACKNOWLEDGED; // recorded: whoever runs it again republishes it
                }
            }
        }
    }

    private void heartbeat() {
        for (String runId : leased) {
            try {
                ledger.heartbeat(runId, identity.instance());
            } catch (RuntimeException e) {
                LOG.warnf("run %s: cannot refresh its lease (%s)", runId, e.getMessage());
            }
        }
    }

    /** Waits up to {@code d}; true when the service began to stop meanwhile. */
    private boolean awaitStop(Duration d) {
        try {
            return stopping.await(d.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
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
        stopping.countDown();
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
        heartbeats.shutdownNow();
        for (String runId : leased) {
            ledger.release(runId, identity.instance());
        }
    }

    static String describe(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }

    private static java.util.concurrent.ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
