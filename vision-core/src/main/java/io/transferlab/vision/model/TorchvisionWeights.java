package io.transferlab.vision.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import io.transferlab.vision.model.torch.TensorRef;
import io.transferlab.vision.model.torch.TorchCheckpoint;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Loads a torchvision state dict (ResNet-18, ResNet-50, VGG16) into the blocks built here, by name:
 * <ul>
 *   <li>ResNet: {@code conv1}/{@code bn1} are the stem's conv and batch norm; {@code layer<s>.<b>.conv<i>} and
 *   {@code bn<i>} are unit {@code stage<s>_<b-1>}'s main path (its {@code a}, {@code b}, {@code c}),
 *   {@code downsample.0}/{@code downsample.1} its projection shortcut; {@code fc} is the classifier;</li>
 *   <li>VGG16: {@code features.<i>} is the i-th layer of our chain (same order: conv, relu, ..., pool);
 *   {@code classifier.0}, {@code .3}, {@code .6} are the three dense layers;</li>
 *   <li>batch norm {@code weight}, {@code bias}, {@code running_mean}, {@code running_var} are DJL's
 *   {@code gamma}, {@code beta}, {@code runningMean}, {@code runningVar}; {@code num_batches_tracked} (a
 *   counter, not a weight) is skipped.</li>
 * </ul>
 * Our convolutions all carry a bias (as Keras' reference models); torchvision's ResNet convolutions have none,
 * so those biases are set to zero, which computes the same function. Every tensor must find its parameter and
 * every parameter its tensor, with the same shape: anything else fails with {@link IncompatibleWeightsException},
 * listing all differences.
 *
 * <p>The blocks are float32, as everything here runs; float64 exists for bench/weights/verify, which proves the
 * mapping in float64 where float32 rounding would hide a small error. DJL 0.36's {@code Block.cast} is not
 * implemented, and casting after a float32 load would keep the float32 rounding of the epsilon adjustment below.
 */
public final class TorchvisionWeights {

    /** torch.nn.BatchNorm2d's default, which torchvision's networks use (a Python float: a double). */
    static final double TORCHVISION_BN_EPSILON = 1e-5;

    private TorchvisionWeights() {
    }

    /** The backbone of {@code architecture} with the checkpoint's weights (its classifier is ignored). */
    public static Block backbone(Architecture architecture, TorchCheckpoint checkpoint, NDManager manager)
            throws IOException {
        return backbone(architecture, checkpoint, manager, DataType.FLOAT32);
    }

    /** {@link #backbone(Architecture, TorchCheckpoint, NDManager)} in {@code dataType} (float32 or float64). */
    public static Block backbone(Architecture architecture, TorchCheckpoint checkpoint, NDManager manager,
            DataType dataType) throws IOException {
        Block block = architecture.newBlock();
        block.initialize(manager, floating(dataType), Network.inputShape(224));
        Targets targets = new Targets();
        features(architecture, block, targets);
        load(architecture, checkpoint, targets, topPrefix(architecture));
        return block;
    }

    /**
     * The whole ImageNet classifier at 224 px: backbone, then global average pooling and {@code fc} (ResNet), or
     * flatten and the three dense layers (VGG16; torchvision's adaptive 7x7 pooling is the identity at 224 px, and
     * its dropouts are off at inference). Outputs 1000 logits.
     */
    public static Block classifier(Architecture architecture, TorchCheckpoint checkpoint, NDManager manager)
            throws IOException {
        return classifier(architecture, checkpoint, manager, DataType.FLOAT32);
    }

    /** {@link #classifier(Architecture, TorchCheckpoint, NDManager)} in {@code dataType} (float32 or float64). */
    public static Block classifier(Architecture architecture, TorchCheckpoint checkpoint, NDManager manager,
            DataType dataType) throws IOException {
        Block features = architecture.newBlock();
        Chain net = new Chain().add("features", features);
        List<Block> dense = new ArrayList<>();
        if (architecture == Architecture.VGG16) {
            net.add("flatten", Layers.flatten());
            for (int units : new int[] {4096, 4096, 1000}) {
                Block d = Layers.dense(units);
                dense.add(d);
                net.add("dense" + dense.size(), d);
                if (units != 1000) {
                    net.add("relu" + dense.size(), Layers.relu());
                }
            }
        } else {
            net.add("pool", Layers.globalAveragePool());
            Block fc = Layers.dense(1000);
            dense.add(fc);
            net.add("fc", fc);
        }
        net.initialize(manager, floating(dataType), Network.inputShape(224));
        Targets targets = new Targets();
        features(architecture, features, targets);
        if (architecture == Architecture.VGG16) {
            String[] names = {"classifier.0", "classifier.3", "classifier.6"};
            for (int i = 0; i < names.length; i++) {
                targets.dense(names[i], dense.get(i));
            }
        } else {
            targets.dense("fc", dense.get(0));
        }
        load(architecture, checkpoint, targets, null);
        return net;
    }

    private static DataType floating(DataType dataType) {
        if (dataType != DataType.FLOAT32 && dataType != DataType.FLOAT64) {
            throw new IllegalArgumentException("torchvision weights load as float32 or float64, not " + dataType);
        }
        return dataType;
    }

    private static String topPrefix(Architecture architecture) {
        return architecture == Architecture.VGG16 ? "classifier." : "fc.";
    }

    private static void features(Architecture architecture, Block block, Targets targets) {
        switch (architecture) {
            case RESNET18, RESNET50 -> resnet(block, targets);
            case VGG16 -> {
                int i = 0;
                for (Block layer : block.getChildren().values()) {
                    if (layer.getDirectParameters().size() > 0) {
                        targets.conv("features." + i, layer, true);
                    }
                    i++;
                }
            }
            default -> throw new IllegalArgumentException(architecture.id() + " has no torchvision weights");
        }
    }

    private static void resnet(Block net, Targets targets) {
        Block stem = child(net, "stem");
        targets.conv("conv1", child(stem, "conv"), false);
        targets.batchNorm("bn1", child(stem, "bn"));
        for (var unit : net.getChildren()) {
            String name = unit.getKey().substring(2);
            if (!name.startsWith("stage")) {
                continue;
            }
            String[] parts = name.substring("stage".length()).split("_");
            String prefix = "layer" + parts[0] + "." + parts[1] + ".";
            Block main = child(unit.getValue(), "main");
            int i = 1;
            for (Block convBn : main.getChildren().values()) {
                targets.conv(prefix + "conv" + i, child(convBn, "conv"), false);
                targets.batchNorm(prefix + "bn" + i, child(convBn, "bn"));
                i++;
            }
            Block shortcut = optionalChild(unit.getValue(), "shortcut");
            if (shortcut != null) {
                targets.conv(prefix + "downsample.0", child(shortcut, "conv"), false);
                targets.batchNorm(prefix + "downsample.1", child(shortcut, "bn"));
            }
        }
    }

    private static void load(Architecture architecture, TorchCheckpoint checkpoint, Targets targets,
            String ignoredPrefix) throws IOException {
        List<String> problems = new ArrayList<>();
        Map<String, TensorRef> tensors = checkpoint.tensors();
        for (String name : tensors.keySet()) {
            boolean ignored = name.endsWith(".num_batches_tracked")
                    || ignoredPrefix != null && name.startsWith(ignoredPrefix);
            if (!ignored && !targets.byName.containsKey(name)) {
                problems.add("unexpected tensor " + name + " " + tensors.get(name));
            }
        }
        for (Map.Entry<String, Parameter> e : targets.byName.entrySet()) {
            TensorRef t = tensors.get(e.getKey());
            Shape expected = e.getValue().getArray().getShape();
            if (t == null) {
                problems.add("missing tensor " + e.getKey() + " " + expected);
            } else if (!Arrays.equals(t.shape(), expected.getShape())) {
                problems.add("tensor " + e.getKey() + " has shape " + Arrays.toString(t.shape()) + ", "
                        + architecture.id() + " needs " + expected);
            }
        }
        if (!problems.isEmpty()) {
            throw new IncompatibleWeightsException("the checkpoint does not fit torchvision's " + architecture.id()
                    + " (" + problems.size() + " problems): "
                    + String.join("; ", problems.subList(0, Math.min(problems.size(), 12)))
                    + (problems.size() > 12 ? "; ..." : ""));
        }
        for (Map.Entry<String, Parameter> e : targets.byName.entrySet()) {
            ByteBuffer values = checkpoint.float32(tensors.get(e.getKey()));
            NDArray array = e.getValue().getArray();
            boolean variance = e.getKey().endsWith(".running_var");
            if (array.getDataType() == DataType.FLOAT64) {
                array.set(float64(values, variance));
            } else {
                if (variance) {
                    matchEpsilon(values);
                }
                array.set(values);
            }
        }
        for (Parameter zero : targets.zeroed) {
            NDArray array = zero.getArray();
            array.set(ByteBuffer.allocateDirect(Math.toIntExact(array.size() * array.getDataType().getNumOfBytes())));
        }
    }

    /**
     * Our batch norms add Keras' epsilon (1.001e-5) to the variance, torchvision's add 1e-5: storing
     * {@code var - 1e-8} makes {@code var + epsilon} the same sum. It matters only for channels of nearly zero
     * variance.
     */
    private static void matchEpsilon(ByteBuffer variances) {
        float delta = Layers.BN_EPSILON - (float) TORCHVISION_BN_EPSILON;
        for (int i = 0; i < variances.limit(); i += 4) {
            variances.putFloat(i, Math.max(0f, variances.getFloat(i) - delta));
        }
    }

    /**
     * The float32 values widened to float64 (exact), variances shifted as in {@link #matchEpsilon} but in double:
     * DJL hands our float epsilon to libtorch as a double, torchvision's is the double 1e-5, so the float64 sums
     * agree to double rounding (the float32 shift would round each variance by up to 6e-8 of itself).
     */
    private static ByteBuffer float64(ByteBuffer float32, boolean variance) {
        double delta = (double) Layers.BN_EPSILON - TORCHVISION_BN_EPSILON;
        int n = float32.limit() / 4;
        ByteBuffer out = ByteBuffer.allocateDirect(n * 8).order(ByteOrder.nativeOrder());
        for (int i = 0; i < n; i++) {
            double v = float32.getFloat(i * 4);
            out.putDouble(i * 8, variance ? Math.max(0d, v - delta) : v);
        }
        return out;
    }

    static Block child(Block block, String name) {
        Block c = optionalChild(block, name);
        if (c == null) {
            throw new IllegalStateException("block has no child " + name + ": " + block.getChildren().keys());
        }
        return c;
    }

    private static Block optionalChild(Block block, String name) {
        // DJL prefixes child names with their two-digit position
        for (var c : block.getChildren()) {
            if (c.getKey().substring(2).equals(name)) {
                return c.getValue();
            }
        }
        return null;
    }

    /** The parameters to fill, by torchvision name, and those torchvision does not have (zeroed). */
    private static final class Targets {
        final Map<String, Parameter> byName = new LinkedHashMap<>();
        final List<Parameter> zeroed = new ArrayList<>();

        void conv(String name, Block conv, boolean withBias) {
            byName.put(name + ".weight", conv.getDirectParameters().get("weight"));
            Parameter bias = conv.getDirectParameters().get("bias");
            if (withBias) {
                byName.put(name + ".bias", bias);
            } else if (bias != null) {
                zeroed.add(bias);
            }
        }

        void dense(String name, Block linear) {
            byName.put(name + ".weight", linear.getDirectParameters().get("weight"));
            byName.put(name + ".bias", linear.getDirectParameters().get("bias"));
        }

        void batchNorm(String name, Block bn) {
            byName.put(name + ".weight", bn.getDirectParameters().get("gamma"));
            byName.put(name + ".bias", bn.getDirectParameters().get("beta"));
            byName.put(name + ".running_mean", bn.getDirectParameters().get("runningMean"));
            byName.put(name + ".running_var", bn.getDirectParameters().get("runningVar"));
        }
    }
}
