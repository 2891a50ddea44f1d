package io.transferlab.vision.store;

import io.transferlab.contracts.Requester;
import io.transferlab.vision.ModelOwnedException;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes new model versions atomically. A version is written into a hidden temporary folder and renamed into place,
 * so readers ({@link ModelCatalog}) never see half a model; versions are numbered under a lock (a JVM monitor and a
 * file lock, for trainer replicas sharing the volume). Versions are never rewritten.
 */
final class VersionWriter {

    private static final Logger LOG = LoggerFactory.getLogger(VersionWriter.class);
    private static final String TMP_PREFIX = ".tmp-v";

    private static final ConcurrentHashMap<String, Object> PUBLISH_LOCKS = new ConcurrentHashMap<>();

    private final ModelCatalog catalog;

    VersionWriter(ModelCatalog catalog) {
        this.catalog = catalog;
    }

    /**
     * Publishes a new version of {@code draft.modelId()}: the next free version number, the card (with that
     * version and the weights' checksum) and the weights, atomically. A run publishes at most one version: when
     * the model already has a version from {@code draft.runId()} (a run trained again after a crash between
     * publishing and reporting), that version is returned and nothing is written.
     *
     * <p>Ownership is decided here, under the same lock that numbers the versions, so two runs of different
     * owners racing for a new model id cannot both publish: the second sees the first's card.
     *
     * @param ownerIsAdmin the draft's owner may publish over a model another key owns
     * @throws ModelOwnedException when the model's latest version belongs to another owner and the draft's owner
     *         is no admin
     */
    ModelCard publish(ModelCard draft, ModelStore.WeightsWriter weights, boolean ownerIsAdmin) {
        String modelId = draft.modelId();
        if (!ModelCatalog.safeId(modelId)) {
            throw new IllegalArgumentException("model id '" + modelId + "' is not a safe folder name");
        }
        Path root = catalog.root();
        Object monitor = PUBLISH_LOCKS.computeIfAbsent(root + "/" + modelId, k -> new Object());
        synchronized (monitor) {
            Path modelDir = root.resolve(modelId);
            try {
                Files.createDirectories(modelDir);
                try (FileChannel lockFile = FileChannel.open(modelDir.resolve(".lock"), StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE); FileLock lock = lockFile.lock()) {
                    LOG.debug("publishing {} under {}", modelId, lock);
                    Optional<ModelCard> earlier = draft.runId() == null ? Optional.empty()
                            : catalog.versions(modelId).stream().filter(c -> draft.runId().equals(c.runId()))
                                    .findFirst();
                    if (earlier.isPresent()) {
                        LOG.info("model {} v{} already holds run {}: kept, nothing new published", modelId,
                                earlier.get().version(), draft.runId());
                        return earlier.get();
                    }
                    requireMayPublish(modelId, new Requester(draft.owner(), ownerIsAdmin));
                    int version = catalog.versionNumbers(modelId).stream().mapToInt(Integer::intValue).max()
                            .orElse(0) + 1;
                    Path tmp = modelDir.resolve(TMP_PREFIX + version + "-" + UUID.randomUUID());
                    Files.createDirectories(tmp);
                    try {
                        String sha = writeWeights(tmp.resolve(draft.weightsFile()), weights);
                        ModelCard card = draft.withVersion(version, sha);
                        ModelCatalog.CARDS.writeValue(tmp.resolve(ModelCard.FILE_NAME).toFile(), card);
                        Path folder = catalog.folder(modelId, version);
                        move(tmp, folder);
                        LOG.info("model {} v{} published in {}", modelId, version, folder);
                        return card;
                    } catch (IOException | RuntimeException e) {
                        deleteTree(tmp);
                        throw e;
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot publish model " + modelId + " in " + root + ": "
                        + e.getMessage(), e);
            }
        }
    }

    /**
     * Fails with {@link ModelOwnedException} unless {@code requester} may publish the next version of
     * {@code modelId}: the model does not exist yet, its latest version has no owner (published before owners were
     * recorded), belongs to the requester, or the requester is an admin.
     */
    void requireMayPublish(String modelId, Requester requester) {
        Optional<ModelCard> latest = catalog.latest(modelId);
        if (latest.isPresent() && !requester.mayActOn(latest.get().owner())) {
            LOG.info("model {}: {} may not publish over v{} of another key", modelId,
                    requester.keyName() == null ? "a request without owner" : "key '" + requester.keyName() + "'",
                    latest.get().version());
            throw new ModelOwnedException(modelId);
        }
    }

    /**
     * Removes {@code .tmp-v*} folders that a publisher killed mid-write left in model folders. Replicas share the
     * store and publish concurrently, so only folders untouched for {@code olderThan} go (a publish writes its
     * folder for seconds; an hour-old one belongs to a process that died).
     *
     * @return how many were removed
     */
    int removeLeftovers(Duration olderThan) {
        Instant cutoff = Instant.now().minus(olderThan);
        int removed = 0;
        for (String id : catalog.modelIds()) {
            Path modelDir = catalog.root().resolve(id);
            try (Stream<Path> entries = Files.list(modelDir)) {
                for (Path p : entries.filter(e -> e.getFileName().toString().startsWith(TMP_PREFIX)).toList()) {
                    if (Files.getLastModifiedTime(p).toInstant().isBefore(cutoff)) {
                        deleteTree(p);
                        removed++;
                        LOG.info("removed {}: left by a publish that never finished", p);
                    }
                }
            } catch (IOException e) {
                LOG.warn("cannot look for leftovers in {}: {}", modelDir, e.getMessage());
            }
        }
        return removed;
    }

    private static String writeWeights(Path file, ModelStore.WeightsWriter weights) throws IOException {
        MessageDigest sha = WeightsDigest.sha256();
        try (OutputStream raw = Files.newOutputStream(file);
                DigestOutputStream digest = new DigestOutputStream(new BufferedOutputStream(raw, 1 << 20), sha);
                DataOutputStream out = new DataOutputStream(digest)) {
            weights.write(out);
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        return WeightsDigest.hex(sha);
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the model store's file system cannot rename atomically: " + e.getMessage(), e);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort: a leftover hidden temp folder is never read
                }
            });
        } catch (IOException ignored) {
            // nothing to clean
        }
    }
}
