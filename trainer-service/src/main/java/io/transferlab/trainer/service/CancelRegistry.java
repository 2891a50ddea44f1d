package io.transferlab.trainer.service;

import io.transferlab.contracts.Requester;
import io.transferlab.vision.train.CancellationToken;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Cancels this replica has heard of, and the tokens of the runs it is training. A cancel is remembered for a while
 * even when no run of that id is here: the control topic and the request topic are not ordered with respect to
 * each other, so a cancel may arrive before its request (or while the request waits behind another run).
 *
 * <p>A cancel stops an owned run only when its sender may act on the run's owner ({@link Requester#mayActOn}):
 * the gateway lets a cancel through when it cannot ask the tuner who owns the id, so this is where the check is
 * authoritative. The owner is known only once the request is here, so a remembered cancel is checked when the run
 * starts; a refused one is logged once and forgotten (the run's owner never changes, it would be refused again).
 */
public final class CancelRegistry {

    private static final Logger LOG = Logger.getLogger(CancelRegistry.class);

    /** What became of a cancel. */
    public enum Outcome {
        /** It stops the run training here, or is remembered for a run not (yet) here. */
        ACCEPTED,
        /** The run trains here and belongs to a key the sender may not act on: the run goes on. */
        REFUSED,
        /** Older than the memory: ignored. */
        TOO_OLD
    }

    private final Duration memory;
    private final Clock clock;
    private final Runnable onRefused;
    private final Map<String, List<Cancel>> recent = new ConcurrentHashMap<>();
    private final Map<String, Running> running = new ConcurrentHashMap<>();

    /** @param onRefused called once per refused cancel (the metric) */
    public CancelRegistry(Duration memory, Clock clock, Runnable onRefused) {
        this.memory = memory;
        this.clock = clock;
        this.onRefused = onRefused;
    }

    /**
     * A cancel for {@code runId} from {@code requester}: stops the run if it trains here and the requester may act
     * on its owner (at its next batch); otherwise remembers it for the configured time from {@code requestedAt},
     * to be checked against the owner when the run starts.
     */
    public Outcome cancel(String runId, String reason, Instant requestedAt, Requester requester) {
        Instant at = requestedAt == null ? clock.instant() : requestedAt;
        if (at.plus(memory).isBefore(clock.instant())) {
            return Outcome.TOO_OLD;
        }
        Running here = running.get(runId);
        if (here != null && !requester.mayActOn(here.owner())) {
            refuse(runId, requester);
            return Outcome.REFUSED;
        }
        String why = reason == null || reason.isBlank() ? "cancelled on request" : reason;
        recent.merge(runId, List.of(new Cancel(why, at, requester)), CancelRegistry::appended);
        if (here != null) {
            here.token().cancel(why);
        }
        purge();
        return Outcome.ACCEPTED;
    }

    /**
     * The reason of the first remembered cancel of {@code runId} whose sender may act on {@code owner} (the run's
     * request's owner; null: nobody's). Remembered cancels that may not are logged and forgotten here.
     */
    public Optional<String> cancelled(String runId, String owner) {
        List<Cancel> heard = recent.getOrDefault(runId, List.of());
        Instant oldest = clock.instant().minus(memory);
        List<Cancel> refused = new ArrayList<>();
        Optional<String> reason = Optional.empty();
        for (Cancel c : heard) {
            if (c.at().isBefore(oldest)) {
                continue;
            }
            if (!c.requester().mayActOn(owner)) {
                refused.add(c);
            } else if (reason.isEmpty()) {
                reason = Optional.of(c.reason());
            }
        }
        if (!refused.isEmpty()) {
            recent.computeIfPresent(runId, (id, list) -> {
                List<Cancel> kept = list.stream().filter(c -> !refused.contains(c)).toList();
                return kept.isEmpty() ? null : kept;
            });
            refused.forEach(c -> refuse(runId, c.requester()));
        }
        return reason;
    }

    /**
     * A token for a run of {@code owner} that starts training here; already cancelled when a cancel its owner
     * allows came first.
     */
    public CancellationToken open(String runId, String owner) {
        CancellationToken token = new CancellationToken();
        running.put(runId, new Running(token, owner));
        cancelled(runId, owner).ifPresent(token::cancel);
        return token;
    }

    /** The run stopped training here. */
    public void close(String runId) {
        running.remove(runId);
    }

    /** Stops every run training here (shutdown); their tokens carry {@code reason}. */
    public void cancelAllRunning(String reason) {
        running.values().forEach(r -> r.token().cancel(reason));
    }

    /** A WARN, not an error: the run is fine, someone asked for what their key may not do. */
    private void refuse(String runId, Requester requester) {
        onRefused.run();
        LOG.warnf("run %s: cancel from %s ignored: the run belongs to another key and the sender has no admin role; "
                + "the run goes on", runId, requester.describe());
    }

    private static List<Cancel> appended(List<Cancel> old, List<Cancel> fresh) {
        List<Cancel> all = new ArrayList<>(old);
        all.addAll(fresh);
        return List.copyOf(all);
    }

    private void purge() {
        Instant oldest = clock.instant().minus(memory);
        recent.replaceAll((id, list) -> list.stream().filter(c -> !c.at().isBefore(oldest)).toList());
        recent.values().removeIf(List::isEmpty);
    }

    private record Running(CancellationToken token, String owner) {
    }

    private record Cancel(String reason, Instant at, Requester requester) {
    }
}
