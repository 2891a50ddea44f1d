package io.transferlab.contracts.retry;

import java.time.Duration;
import java.util.Objects;

/**
 * The pauses between tries of a step that is retried until it succeeds: {@code first}, then doubling, never more than
 * {@code max}. Every retry loop in the system waits this way (the tuner's writes while PostgreSQL is away, the
 * trainer's results and offset commits while the broker is away, vision-core's downloads), so an outage is waited out
 * alike everywhere; what a loop retries, and when it gives up, stays its own. One instance per loop; not thread-safe.
 */
public final class Backoff {

    private final Duration first;
    private final Duration max;
    private Duration next;

    public Backoff(Duration first, Duration max) {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(max, "max");
        if (first.isNegative() || first.isZero()) {
            throw new IllegalArgumentException("first pause must be positive, not " + first);
        }
        if (max.compareTo(first) < 0) {
            throw new IllegalArgumentException("max pause " + max + " is shorter than the first " + first);
        }
        this.first = first;
        this.max = max;
        this.next = first;
    }

    /**
     * Doubling from a configured first pause up to a ceiling the code sets; a first pause already above the ceiling is
     * kept as it is, every time (an operator's longer setting wins).
     */
    public static Backoff doublingUpTo(Duration first, Duration ceiling) {
        return new Backoff(first, ceiling.compareTo(first) > 0 ? ceiling : first);
    }

    /** The same pause every time. */
    public static Backoff fixed(Duration pause) {
        return new Backoff(pause, pause);
    }

    /** The pause before the next try; the one after it is twice as long, up to the maximum. */
    public Duration next() {
        Duration pause = next;
        Duration doubled = next.multipliedBy(2);
        next = doubled.compareTo(max) > 0 ? max : doubled;
        return pause;
    }

    /** After a success: the next failure waits {@code first} again. */
    public void reset() {
        next = first;
    }

    @Override
    public String toString() {
        return "backoff " + first.toMillis() + " ms doubling to " + max.toMillis() + " ms";
    }
}
