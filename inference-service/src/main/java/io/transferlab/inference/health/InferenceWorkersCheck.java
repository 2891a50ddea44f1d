package io.transferlab.inference.health;

import io.transferlab.inference.service.DynamicBatcher;
import io.transferlab.inference.service.ModelCache;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.stream.Collectors;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * Live and ready while every inference worker thread runs (the engine loaded when they started). Reports the queue
 * and the loaded models. A model that cannot be loaded does not make the service unready: it answers errors for
 * that model and serves the others.
 */
@Liveness
@Readiness
@ApplicationScoped
public class InferenceWorkersCheck implements HealthCheck {

    private final DynamicBatcher batcher;
    private final ModelCache cache;

    public InferenceWorkersCheck(DynamicBatcher batcher, ModelCache cache) {
        this.batcher = batcher;
        this.cache = cache;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("Inference workers")
                .status(batcher.isRunning())
                .withData("workers", batcher.policy().workers())
                .withData("queued", batcher.depth())
                .withData("queueCapacity", batcher.policy().queueCapacity())
                .withData("models", cache.residents().stream().map(r -> r.modelId() + " v" + r.version())
                        .collect(Collectors.joining(", ")))
                .build();
    }
}
