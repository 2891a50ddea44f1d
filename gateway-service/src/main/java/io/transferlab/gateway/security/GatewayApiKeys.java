package io.transferlab.gateway.security;

import io.transferlab.commons.security.ApiKeyStore;
import io.transferlab.gateway.config.GatewayConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Set;

/** The gateway's keys (service-commons checks them): roles classify, train and admin. */
public class GatewayApiKeys {

    @Produces
    @Singleton
    ApiKeyStore keys(GatewayConfig config) {
        return new ApiKeyStore(config.security(), Set.of(Roles.CLASSIFY, Roles.TRAIN, Roles.ADMIN), "TRANSFERLAB_GATEWAY_SECURITY");
    }
}
