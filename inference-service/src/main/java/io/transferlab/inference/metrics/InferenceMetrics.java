package io.transferlab.inference.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.transferlab.contracts.ErrorInfo;
import io.transferlab.inference.service.DynamicBatcher;
import io.transferlab.inference.service.LoadedModel;
import io.transferlab.inference.service.ModelCache;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The service's meters (Prometheus names in brackets): requests by transport and outcome
 * ({@code transferlab_inference_requests_total}), their latency as a histogram
 * ({@code transferlab_inference_request_duration_seconds}), batch sizes and forward-pass time
 * ({@code transferlab_inference_batch_size}, {@code transferlab_inference_batch_duration_seconds}), the queue
 * ({@code transferlab_inference_queue_depth}, {@code _queue_bytes}) and the model cache
 * ({@code transferlab_inference_model_cache_{hits,misses,evictions,reloads}_total}, loads, resident models).
 * Model ids appear as tags only once a model has loaded, so unknown ids sent by clients cannot grow the series.
 */
public final class InferenceMetrics implements ModelCache.Listener, DynamicBatcher.Listener {

    public enum Transport {
        KAFKA,
        HTTP;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final String PREFIX = "transferlab.inference.";
    private static final double[] BATCH_BUCKETS = {1, 2, 4, 8, 16, 32, 64};

    private final MeterRegistry registry;

    public InferenceMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void bind(DynamicBatcher batcher) {
        Gauge.builder(PREFIX + "queue.depth", batcher, DynamicBatcher::depth)
                .description("images waiting for a forward pass").register(registry);
        Gauge.builder(PREFIX + "queue.bytes", batcher, DynamicBatcher::queuedBytes)
                .description("decoded pixel bytes waiting for a forward pass").baseUnit("bytes").register(registry);
        Gauge.builder(PREFIX + "queue.capacity", batcher, b -> b.policy().queueCapacity())
                .description("most images that may wait").register(registry);
    }

    public void bind(ModelCache cache) {
        Gauge.builder(PREFIX + "models.loaded", cache, ModelCache::size)
                .description("models in the cache").register(registry);
        Gauge.builder(PREFIX + "models.bytes", cache, ModelCache::residentBytes)
                .description("parameter memory of the cached models").baseUnit("bytes").register(registry);
    }

    /** One request answered (OK or ERROR), with the time from receipt to the answer. */
    public void request(Transport transport, ErrorInfo error, long nanos) {
        String status = error == null ? "ok" : "error";
        String code = error == null ? "none" : error.code().name();
        Counter.builder(PREFIX + "requests").description("classify requests answered")
                .tags("transport", transport.tag(), "status", status, "code", code)
                .register(registry).increment();
        Timer.builder(PREFIX + "request.duration").description("from receipt to the answer")
                .tags("transport", transport.tag(), "status", status)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(60))
                .register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void batch(LoadedModel model, int size, long inferenceNanos) {
        DistributionSummary.builder(PREFIX + "batch.size").description("images per forward pass")
                .tags("model", model.modelId())
                .serviceLevelObjectives(BATCH_BUCKETS)
                .register(registry).record(size);
        Timer.builder(PREFIX + "batch.duration").description("one batched forward pass")
                .tags("model", model.modelId())
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(60))
                .register(registry).record(inferenceNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void batchFailed(LoadedModel model, int size, Throwable failure) {
        Counter.builder(PREFIX + "batch.failures").tags("model", model.modelId()).register(registry).increment();
    }

    @Override
    public void hit(String modelId) {
        cacheCounter("hits").increment();
    }

    @Override
    public void miss(String modelId) {
        cacheCounter("misses").increment();
    }

    @Override
    public void evicted(String modelId, int version) {
        cacheCounter("evictions").increment();
    }

    @Override
    public void reloaded(String modelId, int fromVersion, int toVersion) {
        cacheCounter("reloads").increment();
    }

    @Override
    public void loaded(String modelId, int version, long nanos) {
        Timer.builder(PREFIX + "model.loads").description("loading and warming up a model")
                .tags("model", modelId)
                .register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }

    private Counter cacheCounter(String what) {
        return Counter.builder(PREFIX + "model.cache." + what).register(registry);
    }
}
