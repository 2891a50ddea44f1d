package io.transferlab.vision.model;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import io.transferlab.vision.MissingWeightsException;
import io.transferlab.vision.VisionSettings;
import io.transferlab.vision.fetch.Checksum;
import io.transferlab.vision.fetch.FetchException;
import io.transferlab.vision.fetch.FetchSettings;
import io.transferlab.vision.fetch.Fetcher;
import io.transferlab.vision.fetch.RemoteFile;
import io.transferlab.vision.model.torch.TorchCheckpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where pretrained ImageNet weights come from, in this order:
 * <ol>
 *   <li>TorchScript files exported from torchvision into the weights directory:
 *   {@code <arch>-imagenet-notop.pt} is the backbone (the feature maps before pooling: transfer learning's
 *   {@code include_top = FALSE}), {@code <arch>-imagenet.pt} the whole classifier (1000 logits);</li>
 *   <li>torchvision's own ImageNet checkpoints (the {@code .pth} files {@code torchvision.models} downloads),
 *   fetched on first use into {@code <weightsDir>/torchvision/}, verified against the SHA-256 prefix their names
 *   carry, and loaded into the blocks built here ({@link TorchvisionWeights}). The no-top backbone and the
 *   classifier come from the same file.</li>
 * </ol>
 * Offline ({@code TRANSFERLAB_OFFLINE=true}) or unreachable, a missing file is a {@link MissingWeightsException}
 * naming the files, the URL and the settings that choose it.
 */
public final class ImageNetWeights {

    public static final String EXPORT_SCRIPT = "vision-core/scripts/export_torchvision.py";
    public static final String DOCS = "docs/vision-core.md, section \"ImageNet weights\"";
    public static final String CACHE_SUBDIR = "torchvision";

    /**
     * torchvision's IMAGENET1K_V1 checkpoints (the weights Keras' and the chapter's networks were trained like);
     * the 8 hex digits are the start of each file's SHA-256.
     */
    public static final Map<Architecture, String> CHECKPOINTS = Map.of(
            Architecture.RESNET18, "resnet18-f37072fd.pth",
            Architecture.RESNET50, "resnet50-0676ba61.pth",
            Architecture.VGG16, "vgg16-397923af.pth");

    private ImageNetWeights() {
    }

    public static String backboneFile(String architecture) {
        return architecture + "-imagenet-notop.pt";
    }

    public static String classifierFile(String architecture) {
        return architecture + "-imagenet.pt";
    }

    /** The exported TorchScript file, if the weights directory has it. */
    public static Optional<Path> torchScript(Path weightsDir, String fileName) {
        Path file = weightsDir.resolve(fileName);
        return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }

    /** The checkpoint of {@code architecture} as a file to fetch from the configured source. */
    public static RemoteFile checkpoint(Architecture architecture, FetchSettings fetch) {
        String name = fetch.checkpointFiles().getOrDefault(architecture.id(), CHECKPOINTS.get(architecture));
        if (name == null) {
            throw new MissingWeightsException("there are no ImageNet weights for " + architecture.id()
                    + ": use resnet50, vgg16 or resnet18");
        }
        String hash = name.substring(name.lastIndexOf('-') + 1, name.indexOf('.'));
        return new RemoteFile(name, fetch.weightsUrl(name), Checksum.sha256Prefix(hash));
    }

    /** Why ImageNet weights of {@code architecture} cannot be had here, or empty if they can (present or online). */
    public static Optional<String> unavailable(VisionSettings settings, Architecture architecture, String fileName) {
        if (torchScript(settings.weightsDir(), fileName).isPresent() || !settings.fetch().offline()) {
            return Optional.empty();
        }
        RemoteFile remote = checkpoint(architecture, settings.fetch());
        if (Files.isRegularFile(settings.weightsDir().resolve(CACHE_SUBDIR).resolve(remote.fileName()))) {
            return Optional.empty();
        }
        return Optional.of(missingMessage(settings, architecture, fileName, remote, "downloads are off"));
    }

    /**
     * The verified torchvision checkpoint in the weights cache, downloaded first if needed; a
     * {@link MissingWeightsException} when it cannot be had.
     */
    public static Path fetchCheckpoint(VisionSettings settings, Architecture architecture, String torchScriptName) {
        RemoteFile remote = checkpoint(architecture, settings.fetch());
        try {
            return new Fetcher(settings.fetch()).fetch(remote, settings.weightsDir().resolve(CACHE_SUBDIR));
        } catch (FetchException e) {
            throw new MissingWeightsException(missingMessage(settings, architecture, torchScriptName, remote,
                    e.getMessage()), e);
        }
    }

    /** The backbone of {@code architecture} with torchvision's ImageNet weights, fetched if needed. */
    public static Block backboneFromCheckpoint(Path checkpoint, Architecture architecture, NDManager manager) {
        try (TorchCheckpoint ckpt = TorchCheckpoint.open(checkpoint)) {
            return TorchvisionWeights.backbone(architecture, ckpt, manager);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the checkpoint " + checkpoint + ": " + e.getMessage(), e);
        }
    }

    private static String missingMessage(VisionSettings settings, Architecture architecture, String torchScriptName,
            RemoteFile remote, String why) {
        Path cache = settings.weightsDir().resolve(CACHE_SUBDIR).toAbsolutePath();
        return "ImageNet weights for " + architecture.id() + " are not installed: no TorchScript file "
                + settings.weightsDir().resolve(torchScriptName).toAbsolutePath() + " and no checkpoint "
                + cache.resolve(remote.fileName()) + ", and it cannot be downloaded from " + remote.url() + " ("
                + why + "). Copy " + remote.fileName() + " into " + cache + ", or serve it from a mirror ("
                + FetchSettings.ENV_MIRROR_URL + "), or export TorchScript files: python3 " + EXPORT_SCRIPT
                + " --arch " + architecture.id() + " --out <dir>. See " + DOCS + ".";
    }

    /** The file, or a {@link MissingWeightsException} naming it and how to export it from torchvision. */
    public static Path require(Path weightsDir, String fileName, String architecture) {
        Path file = weightsDir.resolve(fileName);
        if (Files.isRegularFile(file)) {
            return file;
        }
        throw new MissingWeightsException("ImageNet weights for " + architecture + " are not installed: no TorchScript "
                + "file " + file.toAbsolutePath() + ". Export them from torchvision on a machine that can download "
                + "them: python3 " + EXPORT_SCRIPT + " --arch " + architecture + " --out <dir> (writes "
                + backboneFile(architecture) + " and " + classifierFile(architecture) + "), then copy the files into "
                + weightsDir.toAbsolutePath() + " (TRANSFERLAB_WEIGHTS_DIR). See " + DOCS + ".");
    }

    /** A user's own TorchScript backbone ({@code torchscript:<file>}), or a {@link MissingWeightsException}. */
    public static Path requireTorchScript(Path weightsDir, String fileName) {
        Path file = weightsDir.resolve(fileName).normalize();
        if (!file.startsWith(weightsDir.normalize()) || !Files.isRegularFile(file)) {
            throw new MissingWeightsException("TorchScript backbone " + fileName + " is not in the weights directory: "
                    + "no file " + file.toAbsolutePath() + ". Save a module with torch.jit.save (it must map an "
                    + "N x 3 x H x W float batch to feature maps) and copy it there. See " + DOCS + ".");
        }
        return file;
    }
}
