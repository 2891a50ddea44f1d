package io.transferlab.trainer.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.transferlab.vision.VisionServiceConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The trainer's own settings ({@code transferlab.trainer.*}). The directories default to the
 * {@code TRANSFERLAB_*} environment variables that the local stack, docker-compose and Kubernetes set
 * (see application.properties), so one variable configures vision-core tools and this service alike.
 */
@ConfigMapping(prefix = "transferlab.trainer")
public interface TrainerConfig extends VisionServiceConfig {

    /**
     * Trainings this replica runs at once. Each slot is its own Kafka consumer in the group
     * ({@code mp.messaging.incoming.train-requests.concurrency} follows this value), so the requests topic
     * needs at least replicas x concurrency partitions for every slot to get work.
     */
    @WithDefault("1")
    int concurrency();

    /** {@code auto} (first GPU when the engine sees one, else the CPU), {@code cpu} or {@code gpu}. */
    @WithDefault("auto")
    String device();

    /** Names this replica in results and logs; default: the host name (the pod name on Kubernetes) and pid. */
    Optional<String> id();

    /** Data sets: {@code mnist/}, {@code fashion-mnist/}, {@code cifar10/}, {@code uploads/<id>/}. */
    Path dataDir();

    /** Pretrained TorchScript weights; default {@code <data-dir>/weights}. */
    Optional<Path> weightsDir();

    /** The model store, shared by every trainer and inference replica; finished runs are recorded in it too. */
    Path modelStore();

    /** Frozen-backbone features shared by the trials of a study. */
    Path featureCache();

    /** The feature cache evicts least recently used entries beyond this many bytes (0 turns it off). */
    @WithDefault("4294967296")
    long featureCacheMaxBytes();

    /** Images wider or taller than this are rejected before they are decoded. */
    @WithDefault("8192")
    int maxImageSide();

    /** How long a cancel is remembered, so that a cancel that overtakes its request still wins. */
    @WithDefault("PT1H")
    Duration cancelMemory();

    /**
     * A run in progress holds a lease on the shared store, refreshed every third of this; a replica that
     * receives the same request (after a rebalance) waits while the lease is fresh instead of training it twice,
     * and takes the run over once the lease is older than this (its holder died).
     */
    @WithDefault("PT60S")
    Duration leaseTimeout();

    /**
     * A run whose trainer died this many times while training it (its lease went stale, see lease-timeout) ends
     * FAILED with TRAINER_CRASHED instead of being trained again, and its record is committed, so that a request
     * that kills trainers (the kernel's OOM killer, a native crash) cannot take down every replica in turn and
     * block its partition.
     */
    @WithDefault("2")
    int maxCrashes();

    /**
     * Bytes one run may use (parameters, gradients, optimizer state, activations of a batch, the data set; see
     * vision-core MemoryEstimate). A run whose estimate exceeds it ends FAILED with RESOURCE_LIMIT before it
     * trains. Default: 85% of the container's memory limit (else the machine's memory) less the JVM's maximum heap,
     * divided by {@code concurrency}; 0 turns the check off.
     */
    Optional<Long> memoryBudget();

    /** How often a replica waiting on another replica's lease looks for the result or a stale lease. */
    @WithDefault("PT2S")
    Duration leaseCheckInterval();

    /** Delay between tries when the broker does not take a result; the request stays unacknowledged meanwhile. */
    @WithDefault("PT5S")
    Duration publishRetryDelay();

    /** On shutdown, how long to wait for a running training to stop at its next batch. */
    @WithDefault("PT20S")
    Duration shutdownWait();
}
