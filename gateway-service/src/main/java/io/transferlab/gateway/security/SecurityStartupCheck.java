package io.transferlab.gateway.security;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigUtils;
import io.transferlab.commons.security.DevelopmentCredentials;
import io.transferlab.commons.security.DevelopmentCredentialsException;
import io.transferlab.gateway.config.GatewayConfig;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * Refuses to start a gateway that no one could call: security on and no key configured (unless
 * {@code allow-no-keys} says so), or in the prod profile with the README's development key (known to everyone);
 * and shouts when security is switched off.
 */
@Singleton
public class SecurityStartupCheck {

    private static final Logger LOG = Logger.getLogger(SecurityStartupCheck.class);

    void check(@Observes StartupEvent start, GatewayConfig config, ApiKeyStore keys) {
        GatewayConfig.Security security = config.security();
        if (!security.enabled()) {
            LOG.warn("*** SECURITY IS OFF (transferlab.gateway.security.enabled=false): every caller may classify, "
                    + "train, tune, cancel and upload. Never run like this outside a private machine. ***");
            return;
        }
        if (ConfigUtils.getProfiles().contains("prod")) {
            refuseTheDevelopmentKey(keys);
        }
        int count = keys.all().size();
        if (count == 0 && !security.allowNoKeys()) {
            throw new IllegalStateException("no API key is configured: set TRANSFERLAB_GATEWAY_SECURITY_API_KEYS "
                    + "(name:sha256-hex:role+role, comma-separated) or TRANSFERLAB_GATEWAY_SECURITY_API_KEYS_FILE "
                    + "(a mounted Secret with one such line per key); see docs/api.md. To start anyway (every "
                    + "protected call then answers 401) set TRANSFERLAB_GATEWAY_SECURITY_ALLOW_NO_KEYS=true");
        }
        if (count == 0) {
            LOG.warn("*** no API key is configured: every protected call answers 401 until a key is added to the "
                    + "keys file ***");
        } else {
            LOG.infof("API keys: %s", keys.all().stream().map(k -> k.name() + k.roles()).toList());
        }
    }

    static void refuseTheDevelopmentKey(ApiKeyStore keys) {
        for (ApiKey key : keys.all()) {
            if (DevelopmentCredentials.isDevelopmentKeyHash(key.sha256())) {
                throw new DevelopmentCredentialsException("API key '" + key.name() + "' is the README's development "
                        + "key '" + DevelopmentCredentials.DEVELOPMENT_API_KEY + "', which everyone knows: remove it "
                        + "from TRANSFERLAB_GATEWAY_SECURITY_API_KEYS / TRANSFERLAB_GATEWAY_SECURITY_API_KEYS_FILE "
                        + "(transferlab.gateway.security.api-keys / api-keys-file) and configure keys of your own "
                        + "(docs/security.md)");
            }
        }
    }
}
