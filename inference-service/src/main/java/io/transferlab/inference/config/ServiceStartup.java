package io.transferlab.inference.config;

import io.quarkus.runtime.StartupEvent;
import io.transferlab.contracts.model.ModelRef;
import io.transferlab.inference.service.ClassificationService;
import io.transferlab.inference.service.ModelLease;
import io.transferlab.vision.VisionSettings;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Loads the engine and starts the workers when the service starts (not on the first request), then loads the
 * configured models, so readiness means "can answer now".
 */
@Singleton
public class ServiceStartup {

    private static final Logger LOG = Logger.getLogger(ServiceStartup.class);

    private final ClassificationService classification;
    private final InferenceConfig config;
    private final VisionSettings settings;

    public ServiceStartup(ClassificationService classification, InferenceConfig config, VisionSettings settings) {
        this.classification = classification;
        this.config = config;
        this.settings = settings;
    }

    void onStart(@Observes StartupEvent event) {
        LOG.infof("serving models from %s (weights %s), max image side %d px, %s", settings.modelStoreDir()
                .toAbsolutePath(), settings.weightsDir().toAbsolutePath(), settings.maxImageSide(),
                classification.batcher().policy());
        // <id> loads the newest version, <id>@<version> that version (the aliases are not read yet at this point)
        for (String model : config.preload().orElse(List.of())) {
            try {
                ModelRef ref = ModelRef.parse(model.trim(), "transferlab.inference.preload");
                try (ModelLease lease = ref.pinned() ? classification.cache().acquire(ref.modelId(), ref.version())
                        : classification.cache().acquire(ref.modelId())) {
                    LOG.infof("preloaded %s v%d", lease.modelId(), lease.version());
                }
            } catch (RuntimeException e) {
                LOG.warnf("could not preload %s: %s (requests for it will report this)", model, e.getMessage());
            }
        }
    }
}
