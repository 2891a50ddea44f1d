package io.transferlab.tuner.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.transferlab.tuner.config.TunerConfig;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DatabaseRetryTest {

    private static TunerConfig config() {
        return new TunerConfig() {
            @Override
            public Duration sweepInterval() {
                return Duration.ofSeconds(5);
            }

            @Override
            public Duration publishTimeout() {
                return Duration.ofSeconds(15);
            }

            @Override
            public DbRetry dbRetry() {
                return new DbRetry() {
                    @Override
                    public Duration initialBackoff() {
                        return Duration.ofMillis(1);
                    }

                    @Override
                    public Duration maxBackoff() {
                        return Duration.ofMillis(4);
                    }
                };
            }

            @Override
            public Query query() {
                return null;
            }

            @Override
            public Security security() {
                return null;
            }
        };
    }

    private static RuntimeException outage() {
        return new IllegalStateException(new SQLException("Connection refused", "08001"));
    }

    @Test
    void retriesAnOutageUntilTheStepSucceedsAndReportsWaitingMeanwhile() {
        DatabaseRetry retry = new DatabaseRetry(config());
        AtomicInteger calls = new AtomicInteger();
        AtomicInteger waitingSeen = new AtomicInteger();
        String result = retry.untilDone("test", () -> {
            waitingSeen.accumulateAndGet(retry.waiting(), Math::max);
            if (calls.incrementAndGet() < 5) {
                throw outage();
            }
            return "written";
        });
        assertThat(result).isEqualTo("written");
        assertThat(calls).hasValue(5);
        assertThat(waitingSeen).hasValue(1);
        assertThat(retry.waiting()).isZero();
        assertThat(retry.waitingSince()).isNull();
    }

    @Test
    void rethrowsAFailureThatIsNotAnOutageAtOnce() {
        DatabaseRetry retry = new DatabaseRetry(config());
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> retry.untilDone("test", () -> {
            calls.incrementAndGet();
            throw new IllegalStateException(new SQLException("duplicate key", "23505"));
        })).hasRootCauseMessage("duplicate key");
        assertThat(calls).hasValue(1);
    }

    @Test
    void stopsWaitingWhenTheServiceStopsSoTheRecordIsHeldNotAcked() {
        DatabaseRetry retry = new DatabaseRetry(config());
        retry.onShutdown(null);
        assertThatThrownBy(() -> retry.untilDone("run r1 result", () -> {
            throw outage();
        })).isInstanceOf(ShutdownInProgressException.class).hasMessageContaining("run r1 result");
        assertThat(ShutdownInProgressException.in(new RuntimeException(new ShutdownInProgressException("x", null)))).isTrue();
    }
}
