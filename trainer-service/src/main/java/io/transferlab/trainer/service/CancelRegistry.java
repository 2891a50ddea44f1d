package io.transferlab.trainer.service;

import io.transferlab.vision.train.CancellationToken;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Cancels this replica has heard of, and the tokens of the runs it is training. A cancel is remembered for a while
 * even when no run of that id is here: the control topic and the request topic are not ordered with respect to
 * each other, so a cancel may arrive before its request (or while the request waits behind another run).
 */
public final class CancelRegistry {

    private final Duration memory;
    private final Clock clock;
    private final Map<String, Cancel> recent = new ConcurrentHashMap<>();
    private final Map<String, CancellationToken> running = new ConcurrentHashMap<>();

    public CancelRegistry(Duration memory, Clock clock) {
        this.memory = memory;
        this.clock = clock;
    }

    /**
     * A cancel for {@code runId}: stops the run if it trains here (at its next batch) and is remembered for the
     * configured time from {@code requestedAt}. Returns false for a cancel too old to remember.
     */
    public boolean cancel(String runId, String reason, Instant requestedAt) {
        Instant at = requestedAt == null ? clock.instant() : requestedAt;
        if (at.plus(memory).isBefore(clock.instant())) {
            return false;
        }
        String why = reason == null || reason.isBlank() ? "cancelled on request" : reason;
        recent.merge(runId, new Cancel(why, at), (old, fresh) -> old);
        CancellationToken token = running.get(runId);
        if (token != null) {
            token.cancel(why);
        }
        purge();
        return true;
    }

    /** The reason of a remembered cancel of {@code runId}. */
    public Optional<String> cancelled(String runId) {
        Cancel c = recent.get(runId);
        if (c == null || c.at().plus(memory).isBefore(clock.instant())) {
            return Optional.empty();
        }
        return Optional.of(c.reason());
    }

    /** A token for a run that starts training here; already cancelled when a cancel came first. */
    public CancellationToken open(String runId) {
        CancellationToken token = new CancellationToken();
        running.put(runId, token);
        cancelled(runId).ifPresent(token::cancel);
        return token;
    }

    /** The run stopped training here. */
    public void close(String runId) {
        running.remove(runId);
    }

    /** Stops every run training here (shutdown); their tokens carry {@code reason}. */
    public void cancelAllRunning(String reason) {
        running.values().forEach(t -> t.cancel(reason));
    }

    private void purge() {
        Instant oldest = clock.instant().minus(memory);
        recent.values().removeIf(c -> c.at().isBefore(oldest));
    }

    private record Cancel(String reason, Instant at) {
    }
}
