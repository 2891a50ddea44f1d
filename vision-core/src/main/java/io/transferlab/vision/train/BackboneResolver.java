package io.transferlab.vision.train;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import io.transferlab.contracts.train.RunSpec;
import io.transferlab.vision.UnknownModelException;
import io.transferlab.vision.VisionSettings;
import io.transferlab.vision.model.Architecture;
import io.transferlab.vision.model.Backbone;
import io.transferlab.vision.model.Backbones;
import io.transferlab.vision.model.ImageNetWeights;
import io.transferlab.vision.model.Network;
import io.transferlab.vision.store.ModelCard;
import io.transferlab.vision.store.ModelStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/** Turns a spec's backbone and weights into a backbone block with its weights. */
final class BackboneResolver {

    private final VisionSettings settings;
    private final Path weightsDir;
    private final ModelStore store;

    BackboneResolver(VisionSettings settings, ModelStore store) {
        this.settings = settings;
        this.weightsDir = settings.weightsDir();
        this.store = store;
    }

    /**
     * The stored model a {@code run:<id>} backbone names: the model a run with that id published, else the latest
     * version of a model with that id.
     */
    ModelCard sourceCard(String backbone) {
        String id = backbone.substring(RunSpec.RUN_PREFIX.length());
        Optional<ModelCard> byRun = store.findByRunId(id);
        return byRun.or(() -> store.latest(id)).orElseThrow(() -> new UnknownModelException("backbone " + backbone
                + " names no run and no model in the model store " + store.root()));
    }

    ResolvedBackbone resolve(RunSpec spec, int imageSize, long seed, NDManager manager, Device device) {
        boolean frozen = Boolean.TRUE.equals(spec.freeze());
        if (spec.backboneIsRun()) {
            ModelCard card = sourceCard(spec.backbone());
            Network source = store.openNetwork(card, device);
            Architecture arch = source.backbone().architecture();
            Backbone backbone = new Backbone(source.backbone().inner(), arch, true);
            return new ResolvedBackbone(backbone, arch, spec.backbone(),
                    "model:" + card.modelId() + "/v" + card.version() + ":" + card.weightsSha256(), true, source);
        }
        if (spec.backboneIsTorchScript()) {
            String fileName = spec.backbone().substring(RunSpec.TORCHSCRIPT_PREFIX.length());
            Path file = ImageNetWeights.requireTorchScript(weightsDir, fileName);
            return torchScript(file, manager, spec.backbone());
        }
        Architecture arch = Architecture.parse(spec.backbone());
        if ("imagenet".equals(spec.weights())) {
            String exported = ImageNetWeights.backboneFile(arch.id());
            Optional<Path> file = ImageNetWeights.torchScript(weightsDir, exported);
            if (file.isPresent()) {
                return torchScript(file.get(), manager, "imagenet:" + arch.id());
            }
            // torchvision's checkpoint, loaded into the blocks built here (fetched on first use)
            Path checkpoint = ImageNetWeights.fetchCheckpoint(settings, arch, exported);
            Block block = ImageNetWeights.backboneFromCheckpoint(checkpoint, arch, manager);
            return new ResolvedBackbone(new Backbone(block, arch, true), arch, "imagenet:" + arch.id(),
                    "torchvision:" + checkpoint.getFileName() + ":" + sha256(checkpoint), true, null);
        }
        Block block = Backbones.random(arch, imageSize, seed, manager);
        return new ResolvedBackbone(new Backbone(block, arch, frozen), arch, "random",
                "random:" + arch.id() + ":glorot-v1:" + seed, false, null);
    }

    private static ResolvedBackbone torchScript(Path file, NDManager manager, String lineage) {
        Block block = Backbones.torchScript(file, manager);
        return new ResolvedBackbone(new Backbone(block, Architecture.TORCHSCRIPT, true), Architecture.TORCHSCRIPT,
                lineage, "file:" + sha256(file), true, null);
    }

    static String sha256(Path file) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            byte[] buffer = new byte[1 << 16];
            while (in.read(buffer) >= 0) {
                // reading feeds the digest
            }
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
