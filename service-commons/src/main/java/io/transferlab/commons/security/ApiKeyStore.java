package io.transferlab.commons.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * A service's configured API keys: those in its {@code ...security.api-keys} plus those in its keys file (a mounted
 * Kubernetes Secret), which is re-read whenever its modification time changes. Each service that checks keys
 * produces one (CDI {@code @Produces}) with its settings and roles; {@link ApiKeyAuthenticationMechanism} uses it.
 */
public class ApiKeyStore {

    private static final Logger LOG = Logger.getLogger(ApiKeyStore.class);

    private final ApiKeySettings settings;
    private final Set<String> knownRoles;
    private final String envPrefix;
    private final List<ApiKey> configured;
    private final Optional<Path> file;
    private volatile List<ApiKey> fromFile = List.of();
    private volatile FileTime fileStamp;

    /**
     * @param envPrefix the environment variable prefix of the settings, for messages (e.g.
     *        {@code TRANSFERLAB_GATEWAY_SECURITY}: {@code _API_KEYS}, {@code _API_KEYS_FILE}, {@code _ENABLED} follow)
     */
    public ApiKeyStore(ApiKeySettings settings, Set<String> knownRoles, String envPrefix) {
        this.settings = settings;
        this.knownRoles = Set.copyOf(knownRoles);
        this.envPrefix = envPrefix;
        this.configured = settings.apiKeys().orElse(List.of()).stream()
                .filter(s -> !s.isBlank()).map(s -> ApiKey.parse(s, this.knownRoles)).toList();
        this.file = settings.apiKeysFile();
        file.ifPresent(this::reloadIfChanged);
    }

    public ApiKeySettings settings() {
        return settings;
    }

    public Set<String> knownRoles() {
        return knownRoles;
    }

    public String envPrefix() {
        return envPrefix;
    }

    /** The key whose hash matches {@code presentedKey}, if any. */
    public Optional<ApiKey> find(String presentedKey) {
        file.ifPresent(this::reloadIfChanged);
        String hash = KeyHashing.sha256Hex(presentedKey);
        ApiKey match = null;
        for (ApiKey k : all()) {
            // Compare every entry in constant time so timing says nothing about which hash is close.
            if (KeyHashing.sameHash(k.sha256(), hash) && match == null) {
                match = k;
            }
        }
        return Optional.ofNullable(match);
    }

    public List<ApiKey> all() {
        List<ApiKey> all = new ArrayList<>(configured);
        all.addAll(fromFile);
        return all;
    }

    private synchronized void reloadIfChanged(Path path) {
        try {
            if (!Files.isRegularFile(path)) {
                if (fileStamp != null || fromFile.isEmpty()) {
                    LOG.warnf("API keys file %s does not exist; keys from it: none", path);
                }
                fromFile = List.of();
                fileStamp = null;
                return;
            }
            FileTime stamp = Files.getLastModifiedTime(path);
            if (stamp.equals(fileStamp)) {
                return;
            }
            List<ApiKey> keys = new ArrayList<>();
            int lineNo = 0;
            for (String line : Files.readAllLines(path, StandardCharsets.UTF_8)) {
                lineNo++;
                String t = line.strip();
                if (t.isEmpty() || t.startsWith("#")) {
                    continue;
                }
                try {
                    keys.add(ApiKey.parse(t, knownRoles));
                } catch (IllegalArgumentException e) {
                    LOG.errorf("API keys file %s line %d ignored: %s", path, lineNo, e.getMessage());
                }
            }
            fromFile = List.copyOf(keys);
            fileStamp = stamp;
            LOG.infof("API keys file %s loaded: %d key(s) %s", path, keys.size(),
                    keys.stream().map(ApiKey::name).toList());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the API keys file " + path, e);
        }
    }
}
