package io.transferlab.tuner.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.transferlab.commons.security.ApiKeySettings;
import java.time.Duration;

/** The tuner's own settings ({@code transferlab.tuner.*}, e.g. env {@code TRANSFERLAB_TUNER_SWEEP_INTERVAL}). */
@ConfigMapping(prefix = "transferlab.tuner")
public interface TunerConfig {

    /**
     * How often every active study is looked at again: dispatches what a lost wake-up (a crash, a failed send,
     * another replica holding the study) left undone, and re-sends cancels that did not reach the broker.
     */
    @WithDefault("5s")
    Duration sweepInterval();

    /** How long a train request or control may take to be acknowledged by the broker before it counts as failed. */
    @WithDefault("15s")
    Duration publishTimeout();

    DbRetry dbRetry();

    Query query();

    /** Consumers wait out a PostgreSQL outage: they retry the write with exponential backoff until it succeeds. */
    interface DbRetry {

        @WithDefault("250ms")
        Duration initialBackoff();

        @WithDefault("5s")
        Duration maxBackoff();
    }

    /** Limits of the HTTP list endpoints. */
    interface Query {

        @WithDefault("100")
        int defaultLimit();

        @WithDefault("1000")
        int maxLimit();
    }

    /**
     * Who may call this service's HTTP API: API keys ({@code name:sha256-hex:role+role}) with role {@code read}, checked like
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
