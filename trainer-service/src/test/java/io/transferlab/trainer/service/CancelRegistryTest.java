package io.transferlab.trainer.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.transferlab.vision.train.CancellationToken;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CancelRegistryTest {

    private final RunLedgerTest.MutableClock clock = new RunLedgerTest.MutableClock(Instant.parse("2026-11-28T10:00:00Z"));
    private final CancelRegistry cancellations = new CancelRegistry(Duration.ofMinutes(10), clock);

    @Test
    void cancelThatArrivesBeforeTheRunStartsCancelsItsToken() {
        cancellations.cancel("run-1", "user changed their mind", null);

        CancellationToken token = cancellations.open("run-1");

        assertThat(token.isCancelled()).isTrue();
        assertThat(token.reason()).isEqualTo("user changed their mind");
        assertThat(cancellations.open("run-2").isCancelled()).isFalse();
    }

    @Test
    void cancelStopsARunningRunAndOnlyThatOne() {
        CancellationToken running = cancellations.open("run-1");
        CancellationToken other = cancellations.open("run-2");

        cancellations.cancel("run-1", null, clock.instant());

        assertThat(running.isCancelled()).isTrue();
        assertThat(running.reason()).isEqualTo("cancelled on request");
        assertThat(other.isCancelled()).isFalse();
    }

    @Test
    void cancelsAreForgottenAfterTheirMemory() {
        cancellations.cancel("run-1", "stop", clock.instant());
        clock.advance(Duration.ofMinutes(11));

        assertThat(cancellations.cancelled("run-1")).isEmpty();
        assertThat(cancellations.cancel("run-2", "old news", clock.instant().minus(Duration.ofMinutes(20)))).isFalse();
        assertThat(cancellations.cancelled("run-2")).isEmpty();
    }

    @Test
    void shutdownCancelsEveryRunningRunWithItsReason() {
        CancellationToken a = cancellations.open("run-1");
        CancellationToken b = cancellations.open("run-2");
        cancellations.close("run-2");

        cancellations.cancelAllRunning("trainer shutting down");

        assertThat(a.reason()).isEqualTo("trainer shutting down");
        assertThat(b.isCancelled()).isFalse();
    }
}
