package io.transferlab.commons.security;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigUtils;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * Refuses to start a service that no one could call: key checks on and no key configured (unless
 * {@code allow-no-keys} says so), or, in the prod profile, the README's development key among its keys (known to
 * everyone); and shouts when key checks are switched off.
 */
@Singleton
public class ApiKeyStartupCheck {

    private static final Logger LOG = Logger.getLogger(ApiKeyStartupCheck.class);

    void check(@Observes StartupEvent start, Instance<ApiKeyStore> store) {
        if (!store.isResolvable()) {
            return;
        }
        ApiKeyStore keys = store.get();
        String env = keys.envPrefix();
        if (!keys.settings().enabled()) {
            LOG.warnf("*** API KEY CHECKS ARE OFF (%s_ENABLED=false): every caller that reaches this service's port "
                    + "has every role (%s). Only behind a network boundary that admits trusted callers alone "
                    + "(docs/security.md). ***", env, keys.knownRoles());
            return;
        }
        if (ConfigUtils.getProfiles().contains("prod")) {
            refuseTheDevelopmentKey(keys);
        }
        int count = keys.all().size();
        if (count == 0 && !keys.settings().allowNoKeys()) {
            throw new IllegalStateException("no API key is configured: set " + env + "_API_KEYS "
                    + "(name:sha256-hex:role+role, comma-separated) or " + env + "_API_KEYS_FILE "
                    + "(a mounted Secret with one such line per key); see docs/api.md and docs/security.md. To start "
                    + "anyway (every protected call then answers 401) set " + env + "_ALLOW_NO_KEYS=true");
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
                        + "from " + keys.envPrefix() + "_API_KEYS / " + keys.envPrefix() + "_API_KEYS_FILE and "
                        + "configure keys of your own (docs/security.md)");
            }
        }
    }
}
