package io.transferlab.gateway.security;

import io.transferlab.gateway.config.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The configured API keys: those in {@code transferlab.gateway.security.api-keys} plus those in the keys file
 * (a mounted Kubernetes Secret), which is re-read whenever its modification time changes.
 */
@ApplicationScoped
public class ApiKeyStore {

    private static final Logger LOG = Logger.getLogger(ApiKeyStore.class);

    private final List<ApiKey> configured;
    private final Optional<Path> file;
    private volatile List<ApiKey> fromFile = List.of();
    private volatile FileTime fileStamp;

    public ApiKeyStore(GatewayConfig config) {
        this.configured = config.security().apiKeys().orElse(List.of()).stream()
                .filter(s -> !s.isBlank()).map(ApiKey::parse).toList();
        this.file = config.security().apiKeysFile();
        file.ifPresent(this::reloadIfChanged);
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
                    keys.add(ApiKey.parse(t));
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
