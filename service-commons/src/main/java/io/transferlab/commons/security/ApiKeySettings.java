package io.transferlab.commons.security;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A service's API-key settings, part of its own {@code @ConfigMapping} (e.g. {@code transferlab.gateway.security},
 * {@code transferlab.inference.security}, {@code transferlab.tuner.security}), which gives the defaults.
 */
public interface ApiKeySettings {

    /**
     * Off only on purpose: every call is then allowed (a loud warning is logged at start). For the internal APIs
     * this is "cluster-internal" mode: the network (NetworkPolicies) is then the only boundary.
     */
    boolean enabled();

    /** API keys as {@code name:sha256-hex:role+role}, comma-separated. Only hashes are configured, never keys. */
    Optional<List<String>> apiKeys();

    /** A file with one key per line in the same format (a mounted Secret); re-read when it changes. */
    Optional<Path> apiKeysFile();

    /** Start even though no key is configured (every protected call then answers 401). */
    boolean allowNoKeys();
}
