package io.transferlab.gateway.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import io.transferlab.commons.security.ApiKeySettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The gateway's own settings ({@code transferlab.gateway.*}); each can be overridden by an environment variable,
 * e.g. {@code TRANSFERLAB_GATEWAY_CLASSIFY_TIMEOUT=10s}.
 */
@ConfigMapping(prefix = "transferlab.gateway")
public interface GatewayConfig {

    /**
     * The gateway's own API key for the tuner's query API (role {@code read}); sent as a Bearer token. Empty: no
     * credential (a tuner whose API is cluster-internal).
     */
    Optional<String> tunerApiKey();

    Classify classify();

    Datasets datasets();

    Security security();

    Events events();

    /** Largest JSON body (trainings, tunings) accepted; a longer declared body answers 413 before it is read. */
    @WithDefault("1M")
    MemorySize maxJsonSize();

    interface Classify {

        /** How long a synchronous classification waits for its reply before answering 504. */
        @WithDefault("30s")
        Duration timeout();

        /**
         * How long any classification (sync or async) keeps waiting for its reply; a sync caller that got 504
         * can still find a late result with {@code GET /classifications/{id}} within this time. Must be at least
         * {@link #timeout()} (milliseconds).
         */
        @WithName("reply-timeout-ms")
        @WithDefault("120000")
        long replyTimeoutMs();

        /** Largest image body accepted (413 above it). */
        @WithDefault("8M")
        MemorySize maxImageSize();

        /** Image sides outside [min, max] pixels are rejected (422) from the header alone. */
        @WithDefault("8")
        int minSide();

        /** The same setting as the inference service's decoder (TRANSFERLAB_MAX_IMAGE_SIDE): never above it. */
        @WithDefault("8192")
        int maxSide();

        /** At most this many pixels (width x height), checked from the header (TRANSFERLAB_MAX_IMAGE_PIXELS). */
        @WithDefault("40000000")
        long maxPixels();

        /** The model used when the caller names none. */
        @WithDefault("imagenet-resnet50")
        String defaultModel();

        /** Classifications waiting for a reply at once on this replica; more answer 503. */
        @WithDefault("256")
        int maxInFlight();

        /** How many finished classifications this replica keeps for {@code GET /classifications/{id}}. */
        @WithDefault("10000")
        int resultCapacity();

        /** How long a finished classification stays readable. */
        @WithDefault("15m")
        Duration resultRetention();
    }

    interface Datasets {

        /** Root of the data directory; uploads go to {@code <dir>/uploads/<id>/<class>/<image>}. */
        Path dir();

        /** Largest zip accepted (the compressed upload). */
        @WithDefault("256M")
        MemorySize maxUploadSize();

        /** Zip-bomb guards: entries, inflated bytes per entry and in total. */
        @WithDefault("20000")
        int maxEntries();

        @WithDefault("16M")
        MemorySize maxEntrySize();

        @WithDefault("1G")
        MemorySize maxTotalSize();
    }

    interface Security extends ApiKeySettings {

        /** Off only on purpose: every call is then allowed (a loud warning is logged at start). */
        @WithDefault("true")
        boolean enabled();

        /**
         * API keys as {@code name:sha256-hex:role+role}, e.g.
         * {@code dashboard:5e88...:classify+train}. Only hashes are configured, never keys.
         */
        Optional<List<String>> apiKeys();

        /**
         * A file with one key per line in the same format (a Kubernetes Secret mounted as a file); re-read when
         * it changes, so keys rotate without a restart.
         */
        Optional<Path> apiKeysFile();

        /** Start even though no key is configured (every protected call then answers 401). */
        @WithDefault("false")
        boolean allowNoKeys();
    }

    interface Events {

        /** An SSE comment is sent this often so that proxies keep idle streams open. */
        @WithDefault("15s")
        Duration heartbeat();

        /** Events buffered per SSE client; a client that falls further behind is disconnected. */
        @WithDefault("512")
        int bufferPerClient();
    }
}
