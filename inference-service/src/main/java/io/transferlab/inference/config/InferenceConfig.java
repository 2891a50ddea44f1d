package io.transferlab.inference.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.transferlab.commons.security.ApiKeySettings;
import io.transferlab.vision.VisionServiceConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The inference service's own settings. application.properties binds the paths to the variables every service
 * shares ({@code TRANSFERLAB_MODEL_STORE}, {@code TRANSFERLAB_WEIGHTS_DIR}, ...). The prefix is not the bare
 * {@code transferlab}: a mapping owns every property under its prefix and would reject the other services' and
 * libraries' {@code transferlab.*} settings.
 */
@ConfigMapping(prefix = "transferlab.inference")
public interface InferenceConfig extends VisionServiceConfig {

    /** Data sets; only used here as the parent of the default weights directory. */
    @WithDefault("data")
    Path dataDir();

    /** Pretrained TorchScript files ({@code resnet50-imagenet.pt}); default {@code <data-dir>/weights}. */
    Optional<Path> weightsDir();

    /** The model store the trainer publishes into: {@code <model-store>/<modelId>/v<version>/}. */
    @WithDefault("models")
    Path modelStore();

    /** Images wider or taller than this are rejected before their pixels are decoded. */
    @WithDefault("8192")
    int maxImageSide();

    /**
     * Most pixels (width x height) of one image, checked from its header before decoding; the gateway reads the same
     * variable (TRANSFERLAB_MAX_IMAGE_PIXELS), see contracts ImageLimits.
     */
    @WithDefault("40000000")
    long maxImagePixels();

    /**
     * Largest OIP inference request body, counted while it is read (413, problem+json); below
     * {@code quarkus.http.limits.max-body-size}, which would answer a chunked body past it with an empty 413.
     */
    @WithDefault("32M")
    MemorySize maxRequestSize();

    /** Most images in one OIP request (the {@code image} tensor's first dimension); more answer 400. */
    @WithDefault("16")
    int maxImagesPerRequest();

    /** {@code auto}, {@code cpu} or {@code gpu}. */
    @WithDefault("auto")
    String device();

    Batching batching();

    Cache cache();

    Kafka kafka();

    Aliases aliases();

    Engine engine();

    /**
     * Model ids loaded at start-up (e.g. {@code imagenet-resnet50}), so the first request does not pay for the
     * load; one that cannot be loaded is logged and left for the first request to report.
     */
    Optional<List<String>> preload();

    /**
     * Architectures served with random weights as {@code random-<architecture>} (e.g. {@code resnet50} gives
     * {@code random-resnet50}, 224 px, 1000 classes). For benchmarks of the serving path; empty in production.
     */
    Optional<List<String>> randomModels();

    /** Dynamic batching, after DJL Serving's {@code batch_size} / {@code max_batch_delay}. */
    interface Batching {

        /** Most images in one forward pass. */
        @WithDefault("8")
        int maxBatchSize();

        /** How long the first image of a batch waits for others to join it. */
        @WithDefault("5ms")
        Duration maxBatchDelay();

        /** Images waiting for a forward pass, all models together; beyond it requests are answered BUSY. */
        @WithDefault("64")
        int queueCapacity();

        /** Decoded pixels waiting for a forward pass, all models together; beyond it requests are answered BUSY. */
        @WithDefault("256M")
        MemorySize queueMaxBytes();

        /**
         * Long-lived threads that run forward passes. On a CPU each pass already uses every intra-op thread, so one
         * worker per socket is usually best; more overlap pre- and post-processing with compute.
         */
        @WithDefault("1")
        int workers();

        /**
         * Wait {@code max-batch-delay} for company only while other requests are being parsed and decoded: a lone
         * request goes at once. {@code false}: every batch waits up to the delay, like DJL Serving.
         */
        @WithDefault("true")
        boolean adaptiveDelay();
    }

    /** Loaded models, least recently used evicted first. */
    interface Cache {

        @WithDefault("4")
        int maxModels();

        /** Parameter memory of the loaded models together (a single larger model is still served). */
        @WithDefault("2G")
        MemorySize maxBytes();
    }

    /** The model aliases read from {@code vision.models.aliases}. */
    interface Aliases {

        /**
         * How long an unpinned request waits, right after the start, for this replica to read the aliases the topic
         * holds (normally well under a second) before it is answered BUSY; pinned requests never wait.
         */
        @WithDefault("10s")
        Duration catchUpTimeout();
    }

    interface Kafka {

        /**
         * How long a request from Kafka waits for room in a full queue before it is answered BUSY. Kafka itself
         * is the buffer: while the handler waits, the connector stops fetching (back-pressure).
         */
        @WithDefault("10s")
        Duration admissionTimeout();

        /**
         * Threads that parse, check and decode requests from Kafka (decoding a large photo takes tens of
         * milliseconds: several run at once). Each holds at most one record.
         */
        @WithDefault("4")
        int intakeThreads();

        /**
         * Topics a requester may name in {@code REPLY_TOPIC} (a regular expression). Anything else could make this
         * service write into other topics (e.g. forge {@code vision.models}); such a request is answered on the
         * results topic with an error and dead-lettered.
         */
        @WithDefault("vision\\.classify\\.results(\\..+)?|.+-replies")
        String allowedReplyTopics();
    }

    /** PyTorch engine switches, applied before the engine loads unless the JVM already sets them. */
    interface Engine {

        /** TorchScript's profiling executor makes the first calls per input shape slow; off for serving. */
        @WithDefault("false")
        boolean graphOptimizer();

        /** Threads of one forward pass; default: what PyTorch picks (the number of cores). */
        Optional<Integer> intraOpThreads();

        @WithDefault("1")
        int interOpThreads();
    }

    /**
     * Who may call this service's HTTP API: API keys ({@code name:sha256-hex:role+role}) with role {@code classify}, checked like
     * the gateway's; {@code enabled=false} declares the API cluster-internal (docs/security.md).
     */
    Security security();

    interface Security extends ApiKeySettings {

        @Override
        @WithDefault("true")
        boolean enabled();

        @Override
        @WithDefault("false")
        boolean allowNoKeys();
    }
}
