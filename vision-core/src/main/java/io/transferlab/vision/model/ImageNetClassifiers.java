package io.transferlab.vision.model;

import ai.djl.Model;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.nn.Block;
import com.google.gson.JsonArray;
import com.google.gson.JsonParser;
import io.transferlab.vision.Classifier;
import io.transferlab.vision.Devices;
import io.transferlab.vision.VisionSettings;
import io.transferlab.vision.image.ImageDecoder;
import io.transferlab.vision.image.Preprocessing;
import io.transferlab.vision.model.torch.TorchCheckpoint;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The pretrained ImageNet classifiers (the chapter's first step: top-5 labels of a photo with ResNet-50). The
 * weights are torchvision's: exported as TorchScript into the weights directory, or its checkpoint fetched on first
 * use (see {@link ImageNetWeights}); labels are DJL's ImageNet class
 * list (synset id and short description, spaces written as underscores like Keras' {@code decode_predictions}).
 */
public final class ImageNetClassifiers {

    public static final String RESNET50_MODEL_ID = "imagenet-resnet50";
    public static final int IMAGE_SIZE = 224;

    private ImageNetClassifiers() {
    }

    /**
     * ResNet-50 from {@code <weightsDir>/resnet50-imagenet.pt}, else from torchvision's checkpoint (fetched on
     * first use); {@code MissingWeightsException} when neither can be had.
     */
    public static Classifier resnet50(VisionSettings settings) {
        String exported = ImageNetWeights.classifierFile("resnet50");
        Optional<Path> file = ImageNetWeights.torchScript(settings.weightsDir(), exported);
        if (file.isPresent()) {
            return fromTorchScript(RESNET50_MODEL_ID, file.get(), settings);
        }
        Path checkpoint = ImageNetWeights.fetchCheckpoint(settings, Architecture.RESNET50, exported);
        return fromCheckpoint(RESNET50_MODEL_ID, Architecture.RESNET50, checkpoint, settings);
    }

    /** A torchvision ImageNet classifier from its checkpoint, run by the blocks built here. */
    public static Classifier fromCheckpoint(String modelId, Architecture architecture, Path checkpoint,
            VisionSettings settings) {
        Model model = Network.newModel(modelId, Devices.select(settings.deviceMode()));
        try (TorchCheckpoint ckpt = TorchCheckpoint.open(checkpoint)) {
            Block block = TorchvisionWeights.classifier(architecture, ckpt, model.getNDManager());
            model.setBlock(block);
            return new BlockClassifier(modelId, 1, model, labels(), synsets(), IMAGE_SIZE, Preprocessing.TORCH,
                    ParameterCounts.bytes(block), new ImageDecoder(settings.maxImageSide()));
        } catch (IOException e) {
            model.close();
            throw new UncheckedIOException("cannot read the checkpoint " + checkpoint + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    private static List<String> labels() {
        return java.util.Arrays.stream(classes()).map(ImageNetClass::label).toList();
    }

    private static List<String> synsets() {
        return java.util.Arrays.stream(classes()).map(ImageNetClass::synset).toList();
    }

    /** Any TorchScript ImageNet classifier (1000 logits for a torch-preprocessed 224 px batch). */
    public static Classifier fromTorchScript(String modelId, Path file, VisionSettings settings) {
        ImageNetClass[] classes = classes();
        List<String> labels = new ArrayList<>();
        List<String> synsets = new ArrayList<>();
        for (ImageNetClass c : classes) {
            labels.add(c.label());
            synsets.add(c.synset());
        }
        Model model = Network.newModel(modelId, Devices.select(settings.deviceMode()));
        try {
            PtSymbolBlock block = JniUtils.loadModule((PtNDManager) model.getNDManager(), file, true, new String[0],
                    new String[0], false);
            model.setBlock(block);
            return new BlockClassifier(modelId, 1, model, labels, synsets, IMAGE_SIZE, Preprocessing.TORCH,
                    ParameterCounts.bytes(block), new ImageDecoder(settings.maxImageSide()));
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** One ImageNet class: WordNet id and label. */
    public record ImageNetClass(String synset, String label) {
    }

    /** The 1000 ImageNet classes in the standard order (the order of torchvision's and Keras' outputs). */
    public static ImageNetClass[] classes() {
        try (InputStream in = ImageNetClassifiers.class.getResourceAsStream("/imagenet/classes.json")) {
            if (in == null) {
                throw new IllegalStateException("imagenet/classes.json is missing: ai.djl:basicdataset must be on the "
                        + "class path");
            }
            JsonArray array = JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8))
                    .getAsJsonArray();
            ImageNetClass[] classes = new ImageNetClass[array.size()];
            for (int i = 0; i < classes.length; i++) {
                JsonArray entry = array.get(i).getAsJsonArray();
                classes[i] = new ImageNetClass(entry.get(0).getAsString(), entry.get(1).getAsString().replace(' ', '_'));
            }
            return classes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
