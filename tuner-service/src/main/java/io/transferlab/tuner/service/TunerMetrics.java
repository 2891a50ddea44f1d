package io.transferlab.tuner.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.transferlab.contracts.train.RunStatus;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The tuner's meters at /q/metrics: {@code transferlab_tuner_studies_running},
 * {@code transferlab_tuner_trials_dispatched_total} and {@code transferlab_tuner_runs_recorded_total{status}}.
 */
@ApplicationScoped
public class TunerMetrics {

    private final MeterRegistry registry;
    private final Counter dispatched;
    private final AtomicInteger running = new AtomicInteger();

    public TunerMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.dispatched = Counter.builder("transferlab.tuner.trials.dispatched")
                .description("Trials whose train request the broker acknowledged").register(registry);
        // The gauge reads a number the sweep refreshes, never the database: a scrape must not fail or block
        // while PostgreSQL is down. Strong reference: Micrometer's default (weak) can drop the gauge.
        Gauge.builder("transferlab.tuner.studies.running", running, AtomicInteger::get)
                .description("Studies with trials queued or in flight (as of the last sweep)")
                .strongReference(true)
                .register(registry);
    }

    public void trialDispatched() {
        dispatched.increment();
    }

    public void runRecorded(RunStatus status) {
        Counter.builder("transferlab.tuner.runs.recorded")
                .description("Run results (final statuses) recorded in PostgreSQL")
                .tag("status", status.name())
                .register(registry)
                .increment();
    }

    public void studiesRunning(int count) {
        running.set(count);
    }
}
