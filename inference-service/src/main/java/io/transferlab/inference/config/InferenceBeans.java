package io.transferlab.inference.config;

import io.micrometer.core.instrument.MeterRegistry;
import io.transferlab.inference.metrics.InferenceMetrics;
import io.transferlab.inference.service.BatchPolicy;
import io.transferlab.inference.service.ClassificationService;
import io.transferlab.inference.service.DynamicBatcher;
import io.transferlab.inference.service.ModelAliases;
import io.transferlab.inference.service.ModelCache;
import io.transferlab.inference.service.ModelSource;
import io.transferlab.inference.service.StoreModelSource;
import io.transferlab.inference.service.WarmUp;
import io.transferlab.vision.VisionSettings;
import io.transferlab.contracts.image.ImageLimits;
import io.transferlab.vision.image.ImageDecoder;
import io.transferlab.vision.store.ModelStore;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;

/** Builds the service's plain objects from its configuration; the only place that knows how they fit together. */
@Singleton
public class InferenceBeans {

    /** Loading a large model and warming it on every worker may take this long before the load is failed. */
    private static final Duration WARM_UP_TIMEOUT = Duration.ofMinutes(2);

    @Produces
    @Singleton
    VisionSettings visionSettings(InferenceConfig config) {
        return VisionSettings.builder().from(config).build();
    }

    @Produces
    @Singleton
    ModelStore modelStore(VisionSettings settings) {
        return ModelStore.of(settings);
    }

    @Produces
    @Singleton
    ModelSource modelSource(VisionSettings settings, ModelStore store, InferenceConfig config) {
        return new StoreModelSource(settings, store, config.randomModels().orElse(List.of()));
    }

    @Produces
    @Singleton
    InferenceMetrics metrics(MeterRegistry registry) {
        return new InferenceMetrics(registry);
    }

    @Produces
    @Singleton
    DynamicBatcher batcher(InferenceConfig config, InferenceMetrics metrics) {
        // the engine's switches must be in place before the first worker thread touches libtorch
        EngineSettings.apply(config.engine());
        InferenceConfig.Batching b = config.batching();
        DynamicBatcher batcher = new DynamicBatcher(new BatchPolicy(b.maxBatchSize(), b.maxBatchDelay(),
                b.queueCapacity(), b.queueMaxBytes().asLongValue(), b.workers(), b.adaptiveDelay()), metrics);
        metrics.bind(batcher);
        return batcher;
    }

    void stopBatcher(@Disposes DynamicBatcher batcher) {
        batcher.close();
    }

    @Produces
    @Singleton
    ModelCache modelCache(ModelSource source, DynamicBatcher batcher, InferenceConfig config,
            InferenceMetrics metrics) {
        InferenceConfig.Cache c = config.cache();
        ModelCache cache = new ModelCache(source, new ModelCache.Limits(c.maxModels(), c.maxBytes().asLongValue()),
                new WarmUp(batcher, WARM_UP_TIMEOUT), metrics);
        metrics.bind(cache);
        return cache;
    }

    void closeCache(@Disposes ModelCache cache) {
        // models still leased by queued requests close when those finish (see LoadedModel)
        cache.close();
    }

    @Produces
    @Singleton
    ModelAliases modelAliases() {
        return new ModelAliases();
    }

    @Produces
    @Singleton
    ClassificationService classificationService(ModelCache cache, DynamicBatcher batcher, VisionSettings settings,
            InferenceConfig config, ModelAliases aliases) {
        return new ClassificationService(cache, batcher,
                new ImageDecoder(new ImageLimits(settings.maxImageSide(), config.maxImagePixels())), aliases,
                config.aliases().catchUpTimeout());
    }
}
