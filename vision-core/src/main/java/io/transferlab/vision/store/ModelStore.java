package io.transferlab.vision.store;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.transferlab.contracts.json.Json;
import io.transferlab.contracts.train.RunSpec;
import io.transferlab.vision.Classifier;
import io.transferlab.vision.DeviceMode;
import io.transferlab.vision.Devices;
import io.transferlab.vision.UnknownModelException;
import io.transferlab.vision.VisionSettings;
import io.transferlab.vision.image.ImageDecoder;
import io.transferlab.vision.image.Preprocessing;
import io.transferlab.vision.model.Architecture;
import io.transferlab.vision.model.BlockClassifier;
import io.transferlab.vision.model.HeadSpec;
import io.transferlab.vision.model.Network;
import io.transferlab.vision.model.NetworkSpec;
import io.transferlab.vision.model.ParameterCounts;
import io.transferlab.vision.model.Pooling;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
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
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Models on disk: {@code <root>/<modelId>/v<version>/} holds {@code model-card.json} and {@code weights.params}.
 * A version is written into a hidden temporary folder and renamed into place, so readers never see half a model;
 * versions are numbered under a lock (a JVM monitor and a file lock, for trainer replicas sharing the volume).
 * Versions are never rewritten. Loading checks the weights against the card's {@code weightsSha256} and refuses a
 * file that differs ({@link WeightsChecksumException}).
 */
public final class ModelStore {

    private static final Logger LOG = LoggerFactory.getLogger(ModelStore.class);
    private static final Pattern VERSION_DIR = Pattern.compile("v(\\d+)");
    public static final String WEIGHTS_FILE = "weights.params";

    /** Cards written by a newer TransferLab may have fields this one does not know: read them anyway. */
    private static final ObjectMapper CARDS = Json.configure(new ObjectMapper())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private static final ConcurrentHashMap<String, Object> PUBLISH_LOCKS = new ConcurrentHashMap<>();

    private final Path root;
    private final DeviceMode deviceMode;
    private final int maxImageSide;

    public ModelStore(Path root) {
        this(root, DeviceMode.AUTO, VisionSettings.DEFAULT_MAX_IMAGE_SIDE);
    }

    public ModelStore(Path root, DeviceMode deviceMode, int maxImageSide) {
        this.root = root.toAbsolutePath().normalize();
        this.deviceMode = deviceMode;
        this.maxImageSide = maxImageSide;
    }

    public static ModelStore of(VisionSettings settings) {
        return new ModelStore(settings.modelStoreDir(), settings.deviceMode(), settings.maxImageSide());
    }

    public Path root() {
        return root;
    }

    /** Every version of every model, by model id then version. */
    public List<ModelCard> list() {
        List<ModelCard> cards = new ArrayList<>();
        for (String id : modelIds()) {
            cards.addAll(versions(id));
        }
        return cards;
    }

    /** The versions of one model, oldest first. */
    public List<ModelCard> versions(String modelId) {
        List<ModelCard> cards = new ArrayList<>();
        for (int v : versionNumbers(modelId)) {
            readCard(folder(modelId, v)).ifPresent(cards::add);
        }
        return cards;
    }

    public Optional<ModelCard> latest(String modelId) {
        List<ModelCard> all = versions(modelId);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    public Optional<ModelCard> find(String modelId, int version) {
        if (!safeId(modelId)) {
            return Optional.empty();
        }
        return readCard(folder(modelId, version));
    }

    /** The model a training run published, if any. */
    public Optional<ModelCard> findByRunId(String runId) {
        return list().stream().filter(c -> runId.equals(c.runId())).reduce((a, b) -> b);
    }

    /** The version folder of a card. */
    public Path location(ModelCard card) {
        return folder(card.modelId(), card.version());
    }

    public Classifier openClassifier(String modelId) {
        ModelCard card = latest(modelId).orElseThrow(() -> unknown(modelId, null));
        return openClassifier(card);
    }

    public Classifier openClassifier(String modelId, int version) {
        ModelCard card = find(modelId, version).orElseThrow(() -> unknown(modelId, version));
        return openClassifier(card);
    }

    private Classifier openClassifier(ModelCard card) {
        Network network = openNetwork(card, Devices.select(deviceMode));
        return new BlockClassifier(card.modelId(), card.version(), network.model(), card.classNames(), null,
                card.imageSize(), Preprocessing.parse(card.preprocessing()), ParameterCounts.bytes(network.block()),
                new ImageDecoder(maxImageSide));
    }

    /**
     * Loads a stored network (the caller closes it); the trainer uses this for {@code run:<id>} backbones. The weights
     * are hashed as they are read, in the same pass, and the network is handed out only when the whole file matches
     * the card's {@code weightsSha256}.
     *
     * @throws WeightsChecksumException when the card has no checksum or the file's differs
     */
    public Network openNetwork(ModelCard card, Device device) {
        Path weights = location(card).resolve(card.weightsFile());
        String label = card.modelId() + " v" + card.version();
        if (card.weightsSha256() == null || card.weightsSha256().isBlank()) {
            throw new WeightsChecksumException("model " + label + " has no weightsSha256 in its card "
                    + location(card).resolve(ModelCard.FILE_NAME) + ": refusing to load unverifiable weights");
        }
        Model model = Network.newModel(card.modelId() + "-v" + card.version(), device);
        MessageDigest sha = sha256();
        try (DigestInputStream digest = new DigestInputStream(
                new BufferedInputStream(Files.newInputStream(weights), 1 << 20), sha);
                DataInputStream in = new DataInputStream(digest)) {
            Network network = Network.load(model, networkSpec(card), in);
            in.transferTo(OutputStream.nullOutputStream());
            String actual = HexFormat.of().formatHex(sha.digest());
            if (!actual.equalsIgnoreCase(card.weightsSha256())) {
                throw new WeightsChecksumException("weights of model " + label + " (" + weights
                        + ") do not match its card: SHA-256 " + actual + ", published " + card.weightsSha256()
                        + ". The file was changed after publishing; refusing to load it (publish the model again)");
            }
            return network;
        } catch (WeightsChecksumException e) {
            model.close();
            throw e;
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            throw new IllegalStateException("cannot load " + card.modelId() + " v" + card.version() + " from "
                    + weights + ": " + e.getMessage(), e);
        }
    }

    /** The network structure a card describes. */
    public static NetworkSpec networkSpec(ModelCard card) {
        RunSpec spec = card.spec();
        HeadSpec head = HeadSpec.builder()
                .pooling(Pooling.parse(spec.pooling()))
                .denseUnits(spec.denseUnits())
                .dropout(spec.dropout())
                .numClasses(card.classNames().size())
                .build();
        return NetworkSpec.builder()
                .architecture(Architecture.parse(card.architecture()))
                .imageSize(card.imageSize())
                .head(head)
                .build();
    }

    /** Writes the weights of a model version. */
    @FunctionalInterface
    public interface WeightsWriter {
        void write(DataOutputStream out) throws IOException;
    }

    /**
     * Publishes a new version of {@code draft.modelId()}: the next free version number, the card (with that
     * version and the weights' checksum) and the weights, atomically. A run publishes at most one version: when
     * the model already has a version from {@code draft.runId()} (a run trained again after a crash between
     * publishing and reporting), that version is returned and nothing is written.
     */
    public ModelCard publish(ModelCard draft, WeightsWriter weights) {
        String modelId = draft.modelId();
        if (!safeId(modelId)) {
            throw new IllegalArgumentException("model id '" + modelId + "' is not a safe folder name");
        }
        Object monitor = PUBLISH_LOCKS.computeIfAbsent(root + "/" + modelId, k -> new Object());
        synchronized (monitor) {
            Path modelDir = root.resolve(modelId);
            try {
                Files.createDirectories(modelDir);
                try (FileChannel lockFile = FileChannel.open(modelDir.resolve(".lock"), StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE); FileLock lock = lockFile.lock()) {
                    LOG.debug("publishing {} under {}", modelId, lock);
                    Optional<ModelCard> earlier = draft.runId() == null ? Optional.empty()
                            : versions(modelId).stream().filter(c -> draft.runId().equals(c.runId())).findFirst();
                    if (earlier.isPresent()) {
                        LOG.info("model {} v{} already holds run {}: kept, nothing new published", modelId,
                                earlier.get().version(), draft.runId());
                        return earlier.get();
                    }
                    int version = versionNumbers(modelId).stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
                    Path tmp = modelDir.resolve(".tmp-v" + version + "-" + UUID.randomUUID());
                    Files.createDirectories(tmp);
                    try {
                        String sha = writeWeights(tmp.resolve(draft.weightsFile()), weights);
                        ModelCard card = draft.withVersion(version, sha);
                        CARDS.writeValue(tmp.resolve(ModelCard.FILE_NAME).toFile(), card);
                        move(tmp, folder(modelId, version));
                        LOG.info("model {} v{} published in {}", modelId, version, folder(modelId, version));
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

    private static String writeWeights(Path file, WeightsWriter weights) throws IOException {
        MessageDigest sha = sha256();
        try (OutputStream raw = Files.newOutputStream(file);
                DigestOutputStream digest = new DigestOutputStream(new BufferedOutputStream(raw, 1 << 20), sha);
                DataOutputStream out = new DataOutputStream(digest)) {
            weights.write(out);
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the model store's file system cannot rename atomically: " + e.getMessage(), e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Removes {@code .tmp-v*} folders that a publisher killed mid-write left in model folders. Replicas share the
     * store and publish concurrently, so only folders untouched for {@code olderThan} go (a publish writes its
     * folder for seconds; an hour-old one belongs to a process that died).
     *
     * @return how many were removed
     */
    public int removeLeftovers(java.time.Duration olderThan) {
        java.time.Instant cutoff = java.time.Instant.now().minus(olderThan);
        int removed = 0;
        for (String id : modelIds()) {
            try (Stream<Path> entries = Files.list(root.resolve(id))) {
                for (Path p : entries.filter(e -> e.getFileName().toString().startsWith(".tmp-v")).toList()) {
                    if (Files.getLastModifiedTime(p).toInstant().isBefore(cutoff)) {
                        deleteTree(p);
                        removed++;
                        LOG.info("removed {}: left by a publish that never finished", p);
                    }
                }
            } catch (IOException e) {
                LOG.warn("cannot look for leftovers in {}: {}", root.resolve(id), e.getMessage());
            }
        }
        return removed;
    }

    private List<String> modelIds() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(Files::isDirectory)
                    .map(p -> p.getFileName().toString())
                    .filter(ModelStore::safeId)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<Integer> versionNumbers(String modelId) {
        Path dir = root.resolve(modelId);
        if (!safeId(modelId) || !Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(dir)) {
            return dirs.map(p -> VERSION_DIR.matcher(p.getFileName().toString()))
                    .filter(Matcher::matches)
                    .map(m -> Integer.parseInt(m.group(1)))
                    .sorted(Comparator.naturalOrder())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Optional<ModelCard> readCard(Path folder) {
        Path file = folder.resolve(ModelCard.FILE_NAME);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(CARDS.readValue(file.toFile(), ModelCard.class));
        } catch (IOException e) {
            LOG.warn("unreadable model card {}: {}", file, e.getMessage());
            return Optional.empty();
        }
    }

    private Path folder(String modelId, int version) {
        return root.resolve(modelId).resolve("v" + version);
    }

    private static boolean safeId(String id) {
        return id != null && io.transferlab.contracts.validation.Violations.ID.matcher(id).matches();
    }

    private UnknownModelException unknown(String modelId, Integer version) {
        return new UnknownModelException("model '" + modelId + "'" + (version == null ? "" : " version " + version)
                + " is not in the model store " + root);
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
