package io.transferlab.trainer.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.transferlab.contracts.ErrorCode;
import io.transferlab.contracts.ErrorInfo;
import io.transferlab.contracts.train.RunSpec;
import io.transferlab.contracts.train.RunStatus;
import io.transferlab.contracts.train.TrainResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunLedgerTest {

    @TempDir
    Path store;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T10:00:00Z"));

    private RunLedger ledger() {
        return new RunLedger(store, Duration.ofSeconds(60), clock);
    }

    private static TrainResult failed(String runId) {
        Instant t = Instant.parse("2026-11-28T09:00:00Z");
        return new TrainResult(1, runId, null, RunStatus.FAILED, RunSpec.builder().dataset("mnist").build().withDefaults(),
                List.of(), null, null, List.of(), null, null, null, "cpu()", "trainer-a", t, t.plusSeconds(1), 1000L,
                null, ErrorInfo.of(ErrorCode.UNKNOWN_DATASET, "no data set 'x'"));
    }

    @Test
    void recordedResultIsReadBackByAnotherLedgerOnTheSameStore() {
        ledger().record(failed("run-1"));

        assertThat(new RunLedger(store, Duration.ofSeconds(60), clock).finished("run-1")).contains(failed("run-1"));
        assertThat(ledger().finished("run-2")).isEmpty();
        assertThat(store.resolve("_runs/run-1.json")).isRegularFile();
        // the folder is not a valid model id, so the model store never lists it as a model
        assertThat(store.resolve("_runs").getFileName().toString()).startsWith("_");
    }

    @Test
    void freshLeaseOfAnotherHolderIsRespectedAndAStaleOneIsTakenOver() {
        RunLedger a = ledger();
        RunLedger b = ledger();
        assertThat(a.claim("run-1", "trainer-a#1").taken()).isTrue();

        clock.advance(Duration.ofSeconds(30));
        RunLedger.Claim refused = b.claim("run-1", "trainer-b#1");
        assertThat(refused.taken()).isFalse();
        assertThat(refused.heldBy().holder()).isEqualTo("trainer-a#1");
        assertThat(refused.age()).isEqualTo(Duration.ofSeconds(30));

        a.heartbeat("run-1", "trainer-a#1");
        clock.advance(Duration.ofSeconds(59));
        assertThat(b.claim("run-1", "trainer-b#1").taken()).isFalse();

        clock.advance(Duration.ofSeconds(2)); // 61 s without a heartbeat: its holder is gone
        assertThat(b.claim("run-1", "trainer-b#1").taken()).isTrue();
        assertThat(b.lease("run-1")).map(RunLedger.Lease::holder).contains("trainer-b#1");

        // the old holder's late heartbeat and release leave the new holder's lease alone
        a.heartbeat("run-1", "trainer-a#1");
        a.release("run-1", "trainer-a#1");
        assertThat(b.lease("run-1")).map(RunLedger.Lease::holder).contains("trainer-b#1");
    }

    @Test
    void releasedLeaseCanBeTakenAtOnce() {
        RunLedger a = ledger();
        a.claim("run-1", "trainer-a#1");
        a.release("run-1", "trainer-a#1");

        assertThat(ledger().claim("run-1", "trainer-b#1").taken()).isTrue();
        assertThat(Files.exists(store.resolve("_runs/run-1.lease"))).isTrue();
    }

    @Test
    void countsTheHoldersThatDiedHoldingTheLeaseAcrossCleanReleases() {
        assertThat(ledger().claim("run-1", "trainer-a#1").deaths()).isZero();
        clock.advance(Duration.ofSeconds(61)); // a died: no heartbeat, no release
        assertThat(ledger().claim("run-1", "trainer-b#1").deaths()).isEqualTo(1);
        // b stops cleanly (SIGTERM): the count stays behind for whoever runs it next
        ledger().release("run-1", "trainer-b#1");
        RunLedger.Claim c = ledger().claim("run-1", "trainer-c#1");
        assertThat(c.taken()).isTrue();
        assertThat(c.deaths()).isEqualTo(1);
        ledger().heartbeat("run-1", "trainer-c#1");
        clock.advance(Duration.ofSeconds(61)); // c died too
        assertThat(ledger().claim("run-1", "trainer-d#1").deaths()).isEqualTo(2);
        // a fresh lease is still refused, whatever it counts
        assertThat(ledger().claim("run-1", "trainer-e#1").taken()).isFalse();
        // once the result is recorded, the release removes the lease file
        ledger().record(failed("run-1"));
        ledger().release("run-1", "trainer-d#1");
        assertThat(Files.exists(store.resolve("_runs/run-1.lease"))).isFalse();
    }

    @Test
    void leaseFilesWithoutADeathCountReadAsNone() throws Exception {
        Files.createDirectories(store.resolve("_runs"));
        Files.writeString(store.resolve("_runs/run-1.lease"),
                "{\"holder\":\"old#1\",\"heartbeatAt\":\"2026-11-28T09:00:00Z\"}");
        assertThat(ledger().claim("run-1", "trainer-b#1").deaths()).isEqualTo(1);
    }

    @Test
    void runIdsThatAreNotIdsNeverBecomePaths() {
        assertThatThrownBy(() -> ledger().finished("../etc/passwd")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ledger().claim("a/b", "x")).isInstanceOf(IllegalArgumentException.class);
    }

    /** A clock the test moves by hand. */
    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
