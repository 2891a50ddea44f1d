package io.transferlab.tuner.persistence;

import io.quarkus.runtime.ShutdownEvent;
import io.transferlab.contracts.retry.Backoff;
import io.transferlab.tuner.config.TunerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Runs a database step until it succeeds, waiting out PostgreSQL outages with exponential backoff. Consumers call
 * it from their blocking handlers: while it waits, the handler does not return, so its record is neither acked
 * nor committed and the channel consumes nothing further; when PostgreSQL is back, processing resumes where it
 * stopped. Errors that are not an outage are rethrown at once (the channel's failure strategy takes them).
 *
 * <p>Once the service is stopping, a step that fails (the persistence layer closes during shutdown) or would have
 * to wait ends with {@link ShutdownInProgressException}, which the channels' failure strategy
 * ({@code io.transferlab.tuner.messaging.DeadLetterOrHold}) turns into "hold": no ack, no dead letter.
 */
@ApplicationScoped
public class DatabaseRetry {

    private static final Logger LOG = Logger.getLogger(DatabaseRetry.class);
    private static final long STILL_WAITING_LOG_NANOS = Duration.ofSeconds(30).toNanos();

    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final AtomicInteger waiting = new AtomicInteger();
    private volatile Instant waitingSince;
    private volatile String lastFailure;
    private volatile boolean stopping;

    @Inject
    public DatabaseRetry(TunerConfig config) {
        this(config.dbRetry().initialBackoff(), config.dbRetry().maxBackoff());
    }

    /** Waits {@code initialBackoff} after the first failure, doubling up to {@code maxBackoff}. */
    public DatabaseRetry(Duration initialBackoff, Duration maxBackoff) {
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
    }

    public void untilDone(String what, Runnable step) {
        untilDone(what, () -> {
            step.run();
            return null;
        });
    }

    public <T> T untilDone(String what, Supplier<T> step) {
        Backoff backoff = new Backoff(initialBackoff, maxBackoff);
        long firstFailure = 0;
        long lastLog = 0;
        int attempts = 0;
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    T result = step.get();
                    if (attempts > 0) {
                        LOG.infof("%s: written after PostgreSQL came back (waited %.1f s, %d retries)", what,
                                (System.nanoTime() - firstFailure) / 1e9, attempts);
                    }
                    return result;
                } catch (RuntimeException e) {
                    if (stopping) {
                        throw new ShutdownInProgressException(what, e);
                    }
                    if (!TransientDatabaseErrors.isTransient(e)) {
                        throw e;
                    }
                    long now = System.nanoTime();
                    if (attempts++ == 0) {
                        firstFailure = now;
                        lastLog = now;
                        startWaiting(e);
                        LOG.warnf("%s: PostgreSQL is unavailable (%s); holding this record and retrying until it is back",
                                what, TransientDatabaseErrors.describe(e));
                    } else if (now - lastLog > STILL_WAITING_LOG_NANOS) {
                        lastLog = now;
                        lastFailure = TransientDatabaseErrors.describe(e);
                        LOG.warnf("%s: still waiting for PostgreSQL after %.0f s (%s)", what, (now - firstFailure) / 1e9,
                                lastFailure);
                    }
                }
                // An interrupt (shutdown) must not turn into an ack: keep the record unacked and keep waiting; the
                // process ends without committing its offset, and the record is redelivered after the restart.
                try {
                    Thread.sleep(backoff.next().toMillis());
                } catch (InterruptedException ie) {
                    interrupted = true;
                }
            }
        } finally {
            if (attempts > 0) {
                stopWaiting();
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    void onShutdown(@Observes ShutdownEvent event) {
        stopping = true;
    }

    /** Handlers currently holding a record while PostgreSQL is down (0 when all is well). */
    public int waiting() {
        return waiting.get();
    }

    public Instant waitingSince() {
        return waitingSince;
    }

    public String lastFailure() {
        return lastFailure;
    }

    private synchronized void startWaiting(RuntimeException e) {
        if (waiting.getAndIncrement() == 0) {
            waitingSince = Instant.now();
        }
        lastFailure = TransientDatabaseErrors.describe(e);
    }

    private synchronized void stopWaiting() {
        if (waiting.decrementAndGet() == 0) {
            waitingSince = null;
        }
    }
}
