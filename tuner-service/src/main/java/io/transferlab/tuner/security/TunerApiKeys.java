package io.transferlab.tuner.security;

import io.transferlab.commons.security.ApiKeyStore;
import io.transferlab.tuner.config.TunerConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Set;

/**
 * Keys for the tuner's query API ({@code transferlab.tuner.security.*}), checked by service-commons like the
 * gateway's. One role: {@value #READ} (runs, studies and models, with every spec and error). The gateway calls
 * with a key of its own ({@code transferlab.gateway.tuner-api-key}).
 */
public class TunerApiKeys {

    public static final String READ = "read";

    @Produces
    @Singleton
    ApiKeyStore keys(TunerConfig config) {
        return new ApiKeyStore(config.security(), Set.of(READ), "TRANSFERLAB_TUNER_SECURITY");
    }
}
