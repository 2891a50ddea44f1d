package io.transferlab.vision.store;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import io.transferlab.contracts.train.RunSpec;
import io.transferlab.vision.Classifier;
import io.transferlab.vision.DeviceMode;
import io.transferlab.vision.Devices;
import io.transferlab.vision.UnknownModelException;
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
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;

/**
 * Turns a stored version into a usable network or classifier. Loading checks the weights against the card's
 * {@code weightsSha256} and refuses a file that differs ({@link WeightsChecksumException}): a file changed on the
 * volume after publishing must not be served as the published model.
 */
final class ModelLoader {

    private final ModelCatalog catalog;
    private final DeviceMode deviceMode;
    private final int maxImageSide;

    ModelLoader(ModelCatalog catalog, DeviceMode deviceMode, int maxImageSide) {
        this.catalog = catalog;
        this.deviceMode = deviceMode;
        this.maxImageSide = maxImageSide;
    }

    /** The latest version of a model, as a classifier. */
    Classifier openClassifier(String modelId) {
        ModelCard card = catalog.latest(modelId).orElseThrow(() -> unknown(modelId, null));
        return openClassifier(card);
    }

    Classifier openClassifier(String modelId, int version) {
        ModelCard card = catalog.find(modelId, version).orElseThrow(() -> unknown(modelId, version));
        return openClassifier(card);
    }

    private Classifier openClassifier(ModelCard card) {
        Network network = openNetwork(card, Devices.select(deviceMode));
        return new BlockClassifier(card.modelId(), card.version(), network.model(), card.classNames(), null,
                card.imageSize(), Preprocessing.parse(card.preprocessing()), ParameterCounts.bytes(network.block()),
                new ImageDecoder(maxImageSide));
    }

    /**
     * Loads a stored network (the caller closes it). The weights are hashed as they are read, in the same pass, and
     * the network is handed out only when the whole file matches the card's {@code weightsSha256}.
     *
     * @throws WeightsChecksumException when the card has no checksum or the file's differs
     */
    Network openNetwork(ModelCard card, Device device) {
        Path folder = catalog.location(card);
        Path weights = folder.resolve(card.weightsFile());
        String label = card.modelId() + " v" + card.version();
        if (card.weightsSha256() == null || card.weightsSha256().isBlank()) {
            throw new WeightsChecksumException("model " + label + " has no weightsSha256 in its card "
                    + folder.resolve(ModelCard.FILE_NAME) + ": refusing to load unverifiable weights");
        }
        Model model = Network.newModel(card.modelId() + "-v" + card.version(), device);
        MessageDigest sha = WeightsDigest.sha256();
        try (DigestInputStream digest = new DigestInputStream(
                new BufferedInputStream(Files.newInputStream(weights), 1 << 20), sha);
                DataInputStream in = new DataInputStream(digest)) {
            Network network = Network.load(model, networkSpec(card), in);
            in.transferTo(OutputStream.nullOutputStream());
            String actual = WeightsDigest.hex(sha);
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
    static NetworkSpec networkSpec(ModelCard card) {
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

    private UnknownModelException unknown(String modelId, Integer version) {
        return new UnknownModelException("model '" + modelId + "'" + (version == null ? "" : " version " + version)
                + " is not in the model store " + catalog.root());
    }
}
