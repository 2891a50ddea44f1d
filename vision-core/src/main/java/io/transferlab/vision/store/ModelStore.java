package io.transferlab.vision.store;

import ai.djl.Device;
import io.transferlab.contracts.Requester;
import io.transferlab.vision.Classifier;
import io.transferlab.vision.DeviceMode;
import io.transferlab.vision.VisionSettings;
import io.transferlab.vision.model.Network;
import io.transferlab.vision.model.NetworkSpec;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Models on disk: {@code <root>/<modelId>/v<version>/} holds {@code model-card.json} and {@code weights.params}.
 * A version is written into a hidden temporary folder and renamed into place, so readers never see half a model;
 * versions are numbered under a lock (a JVM monitor and a file lock, for trainer replicas sharing the volume).
 * Versions are never rewritten. Loading checks the weights against the card's {@code weightsSha256} and refuses a
 * file that differs ({@link WeightsChecksumException}).
 *
 * <p>The one entry point the services, tools and tests use; the work is done by the package's {@code ModelCatalog}
 * (reading and listing), {@code VersionWriter} (atomic publish) and {@code ModelLoader} (loading, with the checksum
 * check).
 */
public final class ModelStore {

    public static final String WEIGHTS_FILE = "weights.params";

    private final ModelCatalog catalog;
    private final VersionWriter writer;
    private final ModelLoader loader;

    public ModelStore(Path root) {
        this(root, DeviceMode.AUTO, VisionSettings.DEFAULT_MAX_IMAGE_SIDE);
    }

    public ModelStore(Path root, DeviceMode deviceMode, int maxImageSide) {
        this.catalog = new ModelCatalog(root.toAbsolutePath().normalize());
        this.writer = new VersionWriter(catalog);
        this.loader = new ModelLoader(catalog, deviceMode, maxImageSide);
    }

    public static ModelStore of(VisionSettings settings) {
        return new ModelStore(settings.modelStoreDir(), settings.deviceMode(), settings.maxImageSide());
    }

    public Path root() {
        return catalog.root();
    }

    /** Every version of every model, by model id then version. */
    public List<ModelCard> list() {
        return catalog.list();
    }

    /** The versions of one model, oldest first. */
    public List<ModelCard> versions(String modelId) {
        return catalog.versions(modelId);
    }

    public Optional<ModelCard> latest(String modelId) {
        return catalog.latest(modelId);
    }

    public Optional<ModelCard> find(String modelId, int version) {
        return catalog.find(modelId, version);
    }

    /** The model a training run published, if any. */
    public Optional<ModelCard> findByRunId(String runId) {
        return catalog.findByRunId(runId);
    }

    /** The version folder of a card. */
    public Path location(ModelCard card) {
        return catalog.location(card);
    }

    public Classifier openClassifier(String modelId) {
        return loader.openClassifier(modelId);
    }

    public Classifier openClassifier(String modelId, int version) {
        return loader.openClassifier(modelId, version);
    }

    /**
     * Loads a stored network (the caller closes it); the trainer uses this for {@code run:<id>} backbones. The weights
     * are hashed as they are read, in the same pass, and the network is handed out only when the whole file matches
     * the card's {@code weightsSha256}.
     *
     * @throws WeightsChecksumException when the card has no checksum or the file's differs
     */
    public Network openNetwork(ModelCard card, Device device) {
        return loader.openNetwork(card, device);
    }

    /** The network structure a card describes. */
    public static NetworkSpec networkSpec(ModelCard card) {
        return ModelLoader.networkSpec(card);
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
        return writer.publish(draft, weights, false);
    }

    /**
     * As {@link #publish(ModelCard, WeightsWriter)}, for a draft whose {@code owner} is the API key that asked for
     * the run: the next version of a model is published only when its latest version has no owner (published
     * before owners were recorded), belongs to the same owner, or {@code ownerIsAdmin}. The check runs under the
     * publish lock, so concurrent runs of different owners cannot both win a new model id.
     *
     * @throws io.transferlab.vision.ModelOwnedException when another key owns the model and the draft's owner is
     *         no admin; nothing is written
     */
    public ModelCard publish(ModelCard draft, WeightsWriter weights, boolean ownerIsAdmin) {
        return writer.publish(draft, weights, ownerIsAdmin);
    }

    /**
     * The same ownership rule as {@link #publish(ModelCard, WeightsWriter, boolean)}, without the lock: lets a
     * trainer refuse a run before it spends minutes training a model it could not publish. Publishing checks again.
     *
     * @throws io.transferlab.vision.ModelOwnedException when {@code requester} may not publish into
     *         {@code modelId}
     */
    public void requireMayPublish(String modelId, Requester requester) {
        writer.requireMayPublish(modelId, requester);
    }

    /**
     * Removes {@code .tmp-v*} folders that a publisher killed mid-write left in model folders. Replicas share the
     * store and publish concurrently, so only folders untouched for {@code olderThan} go (a publish writes its
     * folder for seconds; an hour-old one belongs to a process that died).
     *
     * @return how many were removed
     */
    public int removeLeftovers(Duration olderThan) {
        return writer.removeLeftovers(olderThan);
    }
}
