package io.transferlab.trainer.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.transferlab.contracts.ErrorCode;
import io.transferlab.contracts.train.RunStatus;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The trainer's meters, for Prometheus at {@code /q/metrics} (dots become underscores there):
 * <ul>
 *   <li>{@code transferlab.trainer.runs.active}: runs training now (gauge)</li>
 *   <li>{@code transferlab.trainer.run.duration{status}}: wall time of finished runs (timer)</li>
 *   <li>{@code transferlab.trainer.images.per.second}: training throughput of each epoch (summary)</li>
 *   <li>{@code transferlab.trainer.runs.failed{code}}: FAILED runs by error code (counter)</li>
 *   <li>{@code transferlab.trainer.runs.finished{status}}: results published, by status (counter)</li>
 *   <li>{@code transferlab.trainer.results.republished}: redelivered requests answered from the ledger</li>
 *   <li>{@code transferlab.trainer.cancels.received}: cancel requests heard on the control topic</li>
 *   <li>{@code transferlab.trainer.cancels.refused}: cancels ignored because their sender may not act on the
 *   run's owner (another key, no admin role)</li>
 * </ul>
 */
@ApplicationScoped
public class TrainerMetrics {

    private final MeterRegistry registry;
    private final AtomicInteger active = new AtomicInteger();
    private final DistributionSummary imagesPerSecond;
    private final Counter republished;
    private final Counter cancels;
    private final Counter refusedCancels;

    public TrainerMetrics(MeterRegistry registry) {
        this.registry = registry;
        registry.gauge("transferlab.trainer.runs.active", active);
        this.imagesPerSecond = DistributionSummary.builder("transferlab.trainer.images.per.second")
                .description("Training images per second of each epoch").register(registry);
        this.republished = Counter.builder("transferlab.trainer.results.republished")
                .description("Redelivered requests answered with the recorded result, without training")
                .register(registry);
        this.cancels = Counter.builder("transferlab.trainer.cancels.received")
                .description("Cancel requests heard on the control topic").register(registry);
        this.refusedCancels = Counter.builder("transferlab.trainer.cancels.refused")
                .description("Cancels ignored: their sender may not act on the run's owner").register(registry);
    }

    public void runStarted() {
        active.incrementAndGet();
    }

    public void runEnded() {
        active.decrementAndGet();
    }

    public int activeRuns() {
        return active.get();
    }

    public void epoch(double imagesPerSecond) {
        this.imagesPerSecond.record(imagesPerSecond);
    }

    public void finished(RunStatus status, ErrorCode code, Duration duration) {
        Timer.builder("transferlab.trainer.run.duration").description("Wall time of finished runs")
                .tag("status", status.name()).register(registry).record(duration);
        Counter.builder("transferlab.trainer.runs.finished").description("Results published, by status")
                .tag("status", status.name()).register(registry).increment();
        if (status == RunStatus.FAILED) {
            Counter.builder("transferlab.trainer.runs.failed").description("Failed runs by error code")
                    .tag("code", code == null ? ErrorCode.INTERNAL.name() : code.name()).register(registry)
                    .increment();
        }
    }

    public void republished() {
        republished.increment();
    }

    public void cancelReceived() {
        cancels.increment();
    }

    public void cancelRefused() {
        refusedCancels.increment();
    }
}
