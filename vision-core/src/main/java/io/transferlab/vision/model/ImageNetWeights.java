package io.transferlab.vision.model;

import io.transferlab.vision.MissingWeightsException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where pretrained ImageNet weights are expected: TorchScript files exported from torchvision into the weights
 * directory. {@code <arch>-imagenet-notop.pt} is the backbone (the feature maps before pooling: transfer
 * learning's {@code include_top = FALSE}); {@code <arch>-imagenet.pt} the whole classifier (1000 logits).
 * No model hub is reachable on our own machines, so nothing is downloaded: a missing file is an error that says
 * how to make it.
 */
public final class ImageNetWeights {

    public static final String EXPORT_SCRIPT = "vision-core/scripts/export_torchvision.py";
    public static final String DOCS = "docs/vision-core.md, section \"ImageNet weights\"";

    private ImageNetWeights() {
    }

    public static String backboneFile(String architecture) {
        return architecture + "-imagenet-notop.pt";
    }

    public static String classifierFile(String architecture) {
        return architecture + "-imagenet.pt";
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
