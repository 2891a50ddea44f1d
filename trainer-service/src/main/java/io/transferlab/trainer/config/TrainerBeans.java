package io.transferlab.trainer.config;

import io.transferlab.trainer.service.CancelRegistry;
import io.transferlab.trainer.service.RunLedger;
import io.transferlab.trainer.service.TrainerIdentity;
import io.transferlab.trainer.service.TrainerMetrics;
import io.transferlab.vision.Devices;
import io.transferlab.vision.Engines;
import io.transferlab.vision.VisionSettings;
import io.transferlab.vision.train.TransferTrainer;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.UUID;

/** Turns the trainer's configuration into the vision-core objects and the service's own helpers. */
public class TrainerBeans {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(TrainerBeans.class);

    @Produces
    @Singleton
    VisionSettings visionSettings(TrainerConfig config) {
        return VisionSettings.builder().from(config)
                .featureCacheDir(config.featureCache())
                .featureCacheMaxBytes(config.featureCacheMaxBytes())
                .build();
    }

    /** One engine facade for the whole service: it caches parsed data sets between runs; it holds no tensors. */
    @Produces
    @Singleton
    TransferTrainer transferTrainer(VisionSettings settings, TrainerConfig config) {
        long budget = MemoryBudget.perRun(config.memoryBudget(), config.concurrency());
        LOG.infof("memory budget of a run: %,d MiB%s", budget >> 20,
                config.memoryBudget().isPresent() ? " (transferlab.trainer.memory-budget)" : " (derived)");
        TransferTrainer trainer = TransferTrainer.create(settings, budget);
        // a trainer killed while publishing leaves a .tmp-v* folder; an hour-old one is nobody's work in progress
        trainer.store().removeLeftovers(java.time.Duration.ofHours(1));
        return trainer;
    }

    @Produces
    @Singleton
    RunLedger runLedger(TransferTrainer trainer, TrainerConfig config) {
        return new RunLedger(trainer.store().root(), config.leaseTimeout(), Clock.systemUTC());
    }

    @Produces
    @Singleton
    CancelRegistry cancellations(TrainerConfig config, TrainerMetrics metrics) {
        return new CancelRegistry(config.cancelMemory(), Clock.systemUTC(), metrics::cancelRefused);
    }

    /**
     * Resolves the device once at start-up (this loads libtorch): {@code gpu} without a visible GPU stops the
     * service here, because a GPU replica that cannot train would turn every request it takes into a failure.
     */
    @Produces
    @Singleton
    TrainerIdentity identity(TrainerConfig config, VisionSettings settings) {
        Engines.pytorch();
        String device = Devices.describe(Devices.select(settings.deviceMode()));
        String id = config.id().filter(s -> !s.isBlank()).orElseGet(TrainerBeans::hostAndPid);
        return new TrainerIdentity(id, id + "#" + UUID.randomUUID().toString().substring(0, 8), device);
    }

    /** The pod name on Kubernetes (HOSTNAME); elsewhere the host name and pid, unique among local replicas. */
    private static String hostAndPid() {
        String host = System.getenv("HOSTNAME");
        if (host != null && !host.isBlank()) {
            return host;
        }
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "trainer";
        }
        return host + "-" + ManagementFactory.getRuntimeMXBean().getPid();
    }
}
