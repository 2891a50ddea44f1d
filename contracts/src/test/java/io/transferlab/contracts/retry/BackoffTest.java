package io.transferlab.contracts.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void pausesDoubleUpToTheMaximum() {
        Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(3));

        assertThat(Stream.generate(backoff::next).limit(6).map(Duration::toMillis))
                .containsExactly(500L, 1000L, 2000L, 3000L, 3000L, 3000L);
    }

    @Test
    void resetStartsOverFromTheFirstPause() {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(10));
        backoff.next();
        backoff.next();

        backoff.reset();

        assertThat(backoff.next()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aFixedBackoffNeverGrows() {
        Backoff backoff = Backoff.fixed(Duration.ofSeconds(5));

        assertThat(Stream.generate(backoff::next).limit(3)).containsOnly(Duration.ofSeconds(5));
    }

    @Test
    void aConfiguredFirstPauseAboveTheCeilingIsKept() {
        Backoff backoff = Backoff.doublingUpTo(Duration.ofMinutes(2), Duration.ofSeconds(30));

        assertThat(Stream.generate(backoff::next).limit(3)).containsOnly(Duration.ofMinutes(2));
    }

    @Test
    void refusesPausesThatCannotWork() {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shorter");
    }
}
