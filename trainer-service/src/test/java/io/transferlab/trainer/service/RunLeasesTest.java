package io.transferlab.trainer.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.transferlab.contracts.ErrorCode;
import io.transferlab.contracts.ErrorInfo;
import io.transferlab.contracts.train.RunStatus;
import io.transferlab.contracts.train.TrainResult;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two replicas (two RunLeases on one store folder, as on the shared volume) and two slots of one replica. */
class RunLeasesTest {

    private static final Duration CHECK = Duration.ofMillis(50);

    @TempDir
    Path store;

    private final StopSignal stop = new StopSignal();
    private RunLeases a;
    private RunLeases b;

    private RunLedger ledger(Duration timeout) {
        return new RunLedger(store, timeout, Clock.systemUTC());
    }

    private RunLeases replica(String holder, Duration timeout) {
        return new RunLeases(ledger(timeout), holder, timeout, CHECK, stop);
    }

    @AfterEach
    void close() {
        stop.raise();
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
    }

    private static TrainResult result(String runId) {
        Instant t = Instant.parse("2026-11-28T09:00:00Z");
        return new TrainResult(1, runId, null, RunStatus.CANCELLED, null, List.of(), null, null, List.of(), null,
                null, null, "cpu()", "trainer-a", t, t, 0L, null, ErrorInfo.of(ErrorCode.CANCELLED, "stop"));
    }

    @Test
    void secondReplicaWaitsForTheHoldersResultInsteadOfTrainingAgain() {
        a = replica("trainer-a#1", Duration.ofSeconds(60));
        b = replica("trainer-b#1", Duration.ofSeconds(60));
        assertThat(a.acquire("run-1")).isInstanceOf(RunLeases.Granted.class);

        CompletableFuture<RunLeases.Acquired> waiting = CompletableFuture.supplyAsync(() -> b.acquire("run-1"));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !waiting.isDone());

        ledger(Duration.ofSeconds(60)).record(result("run-1"));
        a.release("run-1");

        await().atMost(Duration.ofSeconds(5)).until(waiting::isDone);
        assertThat(waiting.join()).isEqualTo(new RunLeases.Finished(result("run-1")));
    }

    @Test
    void twoSlotsOfOneReplicaDoNotBothTrainARun() {
        a = replica("trainer-a#1", Duration.ofSeconds(60));
        assertThat(a.acquire("run-1")).isInstanceOf(RunLeases.Granted.class);

        CompletableFuture<RunLeases.Acquired> second = CompletableFuture.supplyAsync(() -> a.acquire("run-1"));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !second.isDone());

        ledger(Duration.ofSeconds(60)).record(result("run-1"));
        a.release("run-1");
        await().atMost(Duration.ofSeconds(5)).until(second::isDone);
        assertThat(second.join()).isInstanceOf(RunLeases.Finished.class);
    }

    @Test
    void leaseOfADeadReplicaIsTakenOverOnceItIsStale() {
        ledger(Duration.ofMillis(500)).claim("run-1", "dead-replica#1"); // nobody refreshes it
        b = replica("trainer-b#1", Duration.ofMillis(500));

        long start = System.nanoTime();
        assertThat(b.acquire("run-1")).isInstanceOf(RunLeases.Granted.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void holderRefreshesItsLeaseSoALiveReplicaIsNeverTakenOver() {
        a = replica("trainer-a#1", Duration.ofMillis(600));
        b = replica("trainer-b#1", Duration.ofMillis(600));
        assertThat(a.acquire("run-1")).isInstanceOf(RunLeases.Granted.class);

        CompletableFuture<RunLeases.Acquired> waiting = CompletableFuture.supplyAsync(() -> b.acquire("run-1"));
        // several lease timeouts pass; the holder's heartbeats keep it fresh
        await().during(Duration.ofMillis(2000)).atMost(Duration.ofSeconds(4)).until(() -> !waiting.isDone());
        assertThat(ledger(Duration.ofMillis(600)).lease("run-1")).map(RunLedger.Lease::holder)
                .contains("trainer-a#1");
    }

    @Test
    void waitingEndsWhenTheTrainerStops() {
        a = replica("trainer-a#1", Duration.ofSeconds(60));
        b = replica("trainer-b#1", Duration.ofSeconds(60));
        a.acquire("run-1");
        CompletableFuture<RunLeases.Acquired> waiting = CompletableFuture.supplyAsync(() -> b.acquire("run-1"));

        stop.raise();

        await().atMost(Duration.ofSeconds(5)).until(waiting::isDone);
        assertThat(waiting.join()).isInstanceOf(RunLeases.Stopped.class);
    }
}
