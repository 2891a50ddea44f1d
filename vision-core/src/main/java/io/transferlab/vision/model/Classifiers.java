package io.transferlab.vision.model;

import ai.djl.Model;
import io.transferlab.vision.Classifier;
import io.transferlab.vision.DeviceMode;
import io.transferlab.vision.Devices;
import io.transferlab.vision.VisionSettings;
import io.transferlab.vision.image.ImageDecoder;
import io.transferlab.vision.image.Preprocessing;
import java.util.ArrayList;
import java.util.List;

/** Classifiers that come from nowhere but a seed: for benchmarks and tests of the serving path. */
public final class Classifiers {

    private Classifiers() {
    }

    /**
     * A network of {@code architecture} with random weights and an ImageNet-style top (global average pooling,
     * one dense layer), labels {@code class0..}; e.g. a random ResNet-50 at 224 px for inference benchmarks.
     */
    public static Classifier randomWeights(Architecture architecture, int imageSize, int numClasses, long seed,
            DeviceMode deviceMode) {
        HeadSpec head = HeadSpec.builder().pooling(Pooling.AVG).denseUnits(0).numClasses(numClasses).build();
        return randomWeights(NetworkSpec.builder().architecture(architecture).imageSize(imageSize).head(head).build(),
                seed, deviceMode);
    }

    /** A random-weight network of any spec built here. */
    public static Classifier randomWeights(NetworkSpec spec, long seed, DeviceMode deviceMode) {
        Model model = Network.newModel("random-" + spec.architecture().id(), Devices.select(deviceMode));
        try {
            Backbone backbone = new Backbone(Backbones.random(spec.architecture(), spec.imageSize(), seed,
                    model.getNDManager()), spec.architecture(), false);
            Network network = Network.assemble(model, spec, backbone, seed + 1);
            network.block().freezeParameters(true);
            List<String> labels = new ArrayList<>();
            for (int i = 0; i < spec.head().numClasses(); i++) {
                labels.add("class" + i);
            }
            return new BlockClassifier(model.getName(), 1, model, labels, null, spec.imageSize(), Preprocessing.UNIT,
                    ParameterCounts.bytes(network.block()), new ImageDecoder(VisionSettings.DEFAULT_MAX_IMAGE_SIDE));
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }
}
