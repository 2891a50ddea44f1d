package io.transferlab.gateway.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gateway's own meters, next to the HTTP request counts and latencies Micrometer records by itself:
 * {@code transferlab_classifications_total{outcome}}, {@code transferlab_classification_seconds},
 * {@code transferlab_classifications_in_flight}, {@code transferlab_sse_subscribers{stream}} and
 * {@code transferlab_dataset_uploads_total{outcome}}.
 * <p>Created at start-up, not on first use, so the gauges are on {@code /q/metrics} (at 0) before the first
 * classification; a dashboard or alert otherwise sees no series at all (and SecurityIT failed when run alone).
 */
@Startup
@ApplicationScoped
public class GatewayMetrics {

    private final MeterRegistry registry;
    private final Timer roundTrip;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger runSubscribers = new AtomicInteger();
    private final AtomicInteger studySubscribers = new AtomicInteger();

    public GatewayMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.roundTrip = Timer.builder("transferlab.classification").description(
                "from publishing a classify request to its reply").publishPercentiles(0.5, 0.95).register(registry);
        registry.gauge("transferlab.classifications.in.flight", inFlight);
        registry.gauge("transferlab.sse.subscribers", java.util.List.of(
                io.micrometer.core.instrument.Tag.of("stream", "training")), runSubscribers);
        registry.gauge("transferlab.sse.subscribers", java.util.List.of(
                io.micrometer.core.instrument.Tag.of("stream", "tuning")), studySubscribers);
    }

    /** outcome: ok, error, timeout, rejected, unavailable, busy. */
    public void classification(String outcome) {
        Counter.builder("transferlab.classifications").tag("outcome", outcome).register(registry).increment();
    }

    public void roundTrip(Duration d) {
        roundTrip.record(d);
    }

    public AtomicInteger inFlight() {
        return inFlight;
    }

    public AtomicInteger subscribers(boolean study) {
        return study ? studySubscribers : runSubscribers;
    }

    /** outcome: stored, rejected, too-large. */
    public void datasetUpload(String outcome) {
        Counter.builder("transferlab.dataset.uploads").tag("outcome", outcome).register(registry).increment();
    }
}
