package io.transferlab.inference.security;

import io.transferlab.commons.security.ApiKeyStore;
import io.transferlab.inference.config.InferenceConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Set;

/**
 * Keys for the Open Inference Protocol API ({@code transferlab.inference.security.*}), checked by service-commons
 * like the gateway's. One role: {@value #CLASSIFY} (model metadata, readiness, which loads a model, and inference).
 * The server's own liveness and readiness stay open.
 */
public class InferenceApiKeys {

    public static final String CLASSIFY = "classify";

    @Produces
    @Singleton
    ApiKeyStore keys(InferenceConfig config) {
        return new ApiKeyStore(config.security(), Set.of(CLASSIFY), "TRANSFERLAB_INFERENCE_SECURITY");
    }
}
