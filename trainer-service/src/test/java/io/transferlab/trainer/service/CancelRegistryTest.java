package io.transferlab.trainer.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.transferlab.contracts.Requester;
import io.transferlab.vision.train.CancellationToken;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CancelRegistryTest {

    private final RunLedgerTest.MutableClock clock = new RunLedgerTest.MutableClock(Instant.parse("2026-11-28T10:00:00Z"));
    private final AtomicInteger refused = new AtomicInteger();
    private final CancelRegistry cancellations = new CancelRegistry(Duration.ofMinutes(10), clock,
            refused::incrementAndGet);
    private static final Requester ALICE = new Requester("alice", false);

    @Test
    void cancelThatArrivesBeforeTheRunStartsCancelsItsToken() {
        cancellations.cancel("run-1", "user changed their mind", null, Requester.UNKNOWN);

        CancellationToken token = cancellations.open("run-1", null);

        assertThat(token.isCancelled()).isTrue();
        assertThat(token.reason()).isEqualTo("user changed their mind");
        assertThat(cancellations.open("run-2", null).isCancelled()).isFalse();
    }

    @Test
    void cancelStopsARunningRunAndOnlyThatOne() {
        CancellationToken running = cancellations.open("run-1", null);
        CancellationToken other = cancellations.open("run-2", null);

        cancellations.cancel("run-1", null, clock.instant(), Requester.UNKNOWN);

        assertThat(running.isCancelled()).isTrue();
        assertThat(running.reason()).isEqualTo("cancelled on request");
        assertThat(other.isCancelled()).isFalse();
    }

    @Test
    void cancelsAreForgottenAfterTheirMemory() {
        cancellations.cancel("run-1", "stop", clock.instant(), ALICE);
        clock.advance(Duration.ofMinutes(11));

        assertThat(cancellations.cancelled("run-1", null)).isEmpty();
        assertThat(cancellations.cancel("run-2", "old news", clock.instant().minus(Duration.ofMinutes(20)), ALICE))
                .isEqualTo(CancelRegistry.Outcome.TOO_OLD);
        assertThat(cancellations.cancelled("run-2", null)).isEmpty();
    }

    @Test
    void aRunningRunOfAnotherKeyIgnoresTheCancelAndItsOwnerOrAnAdminStopIt() {
        CancellationToken owned = cancellations.open("run-1", "alice");

        assertThat(cancellations.cancel("run-1", "mine now", clock.instant(), new Requester("mallory", false)))
                .isEqualTo(CancelRegistry.Outcome.REFUSED);
        assertThat(cancellations.cancel("run-1", "v1", clock.instant(), Requester.UNKNOWN))
                .isEqualTo(CancelRegistry.Outcome.REFUSED);
        assertThat(owned.isCancelled()).isFalse();
        assertThat(refused).hasValue(2);

        assertThat(cancellations.cancel("run-1", "ops", clock.instant(), new Requester("root", true)))
                .isEqualTo(CancelRegistry.Outcome.ACCEPTED);
        assertThat(owned.reason()).isEqualTo("ops");
        CancellationToken byOwner = cancellations.open("run-2", "alice");
        cancellations.cancel("run-2", "done", clock.instant(), ALICE);
        assertThat(byOwner.reason()).isEqualTo("done");
    }

    @Test
    void aRememberedCancelIsCheckedAgainstTheOwnerWhenTheRunArrivesAndARefusedOneIsForgotten() {
        cancellations.cancel("run-1", "not yours", clock.instant(), new Requester("mallory", false));
        cancellations.cancel("run-1", "by the owner", clock.instant(), ALICE);
        assertThat(refused).as("the owner is not known yet").hasValue(0);

        assertThat(cancellations.cancelled("run-1", "alice")).contains("by the owner");
        assertThat(refused).hasValue(1);
        assertThat(cancellations.cancelled("run-1", "alice")).as("logged and counted once").contains("by the owner");
        assertThat(refused).hasValue(1);

        cancellations.cancel("run-2", "not yours", clock.instant(), new Requester("mallory", false));
        assertThat(cancellations.open("run-2", "alice").isCancelled()).isFalse();
        assertThat(refused).hasValue(2);
        cancellations.cancel("run-3", "legacy", clock.instant(), Requester.UNKNOWN);
        assertThat(cancellations.open("run-3", null).reason()).as("nobody owns it").isEqualTo("legacy");
    }

    @Test
    void shutdownCancelsEveryRunningRunWithItsReason() {
        CancellationToken a = cancellations.open("run-1", null);
        CancellationToken b = cancellations.open("run-2", null);
        cancellations.close("run-2");

        cancellations.cancelAllRunning("trainer shutting down");

        assertThat(a.reason()).isEqualTo("trainer shutting down");
        assertThat(b.isCancelled()).isFalse();
    }
}
