package io.transferlab.trainer.service;

import io.transferlab.contracts.train.TrainResult;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * This replica's leases on the runs it trains: taken before training (waiting while another replica holds a fresh
 * one), refreshed in the background, given up when the run ends or the trainer stops.
 */
final class RunLeases implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RunLeases.class);

    private final RunLedger ledger;
    private final String holder;
    private final Duration checkInterval;
    private final StopSignal stop;
    private final Set<String> held = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService heartbeats;

    RunLeases(RunLedger ledger, String holder, Duration timeout, Duration checkInterval, StopSignal stop) {
        this.ledger = ledger;
        this.holder = holder;
        this.checkInterval = checkInterval;
        this.stop = stop;
        this.heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "trainer-lease-heartbeat");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(1, timeout.toMillis() / 3);
        heartbeats.scheduleWithFixedDelay(this::heartbeat, every, every, TimeUnit.MILLISECONDS);
    }

    /** How {@link #acquire} ended. */
    sealed interface Acquired {
    }

    /** This replica holds the lease and may train the run; {@code deaths} trainers died holding it before. */
    record Granted(int deaths) implements Acquired {
    }

    /** The run finished (here before, or on the replica that held it): its recorded result. */
    record Finished(TrainResult result) implements Acquired {
    }

    /** The trainer began to stop while waiting. */
    record Stopped() implements Acquired {
    }

    /**
     * Takes the run's lease, waiting while another replica holds a fresh one, until that replica records the result
     * or its lease goes stale (it died).
     */
    Acquired acquire(String runId) {
        boolean told = false;
        while (!stop.isRaised()) {
            String holderNow;
            Duration age = Duration.ZERO;
            // held doubles as this replica's own claim: two slots of one replica share the holder name
            if (held.add(runId)) {
                RunLedger.Claim claim = ledger.claim(runId, holder);
                Optional<TrainResult> recorded = ledger.finished(runId);
                if (claim.taken() && recorded.isEmpty()) {
                    return new Granted(claim.deaths());
                }
                if (claim.taken()) {
                    release(runId); // the previous holder recorded its result between our two looks
                } else {
                    held.remove(runId);
                }
                if (recorded.isPresent()) {
                    return new Finished(recorded.get());
                }
                holderNow = claim.heldBy().holder();
                age = claim.age();
            } else {
                Optional<TrainResult> recorded = ledger.finished(runId);
                if (recorded.isPresent()) {
                    return new Finished(recorded.get());
                }
                holderNow = "another slot of this replica";
            }
            if (!told) {
                LOG.infof("run %s: %s is training it (lease refreshed %d s ago); waiting for its result instead of "
                        + "training it twice", runId, holderNow, age.toSeconds());
                told = true;
            }
            if (stop.await(checkInterval)) {
                break;
            }
        }
        return new Stopped();
    }

    /** Gives the lease up (after the result is recorded, or on shutdown so that another replica starts at once). */
    void release(String runId) {
        held.remove(runId);
        try {
            ledger.release(runId, holder);
        } catch (RuntimeException e) {
            LOG.warnf("run %s: cannot release its lease (%s); it expires on its own", runId, e.getMessage());
        }
    }

    private void heartbeat() {
        for (String runId : held) {
            try {
                ledger.heartbeat(runId, holder);
            } catch (RuntimeException e) {
                LOG.warnf("run %s: cannot refresh its lease (%s)", runId, e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        heartbeats.shutdownNow();
        for (String runId : Set.copyOf(held)) {
            release(runId);
        }
    }
}
