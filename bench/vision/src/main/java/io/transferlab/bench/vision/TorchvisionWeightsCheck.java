package io.transferlab.bench.vision;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.transferlab.vision.model.Architecture;
import io.transferlab.vision.model.TorchvisionWeights;
import io.transferlab.vision.model.torch.TorchCheckpoint;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Loads the state dicts bench/weights/make_reference.py saved into vision-core's blocks, runs its input batch
 * through them (inference mode) and prints the largest absolute difference from torchvision's outputs, for the
 * classifier's logits and for the no-top features. Run by bench/weights/verify.
 *
 * <p>Twice: in float32, as vision-core runs, and in float64 against PyTorch's float64 outputs. A float32
 * difference alone cannot tell a small mapping error from two libtorch builds rounding differently; in float64
 * the rounding shrinks by ~9 orders of magnitude and a mapping error would not. Next to them, PyTorch's own
 * float32-vs-float64 difference: how far float32 rounding alone moves the same outputs.
 */
public final class TorchvisionWeightsCheck {

    private static final String[] OUTPUTS = {"logits", "features"};

    private TorchvisionWeightsCheck() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        Path dir = args.path("dir", null);
        JsonObject manifest = JsonParser.parseString(Files.readString(dir.resolve("manifest.json"))).getAsJsonObject();
        Table table = new Table("network", "checkpoint", "output", "shape", "max abs torch fp32",
                "vision-core fp32 vs torch fp32", "torch fp32 vs torch fp64", "vision-core fp64 vs torch fp64");
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            NDArray input = read(manager, dir.resolve("input.bin"), shape(manifest.getAsJsonArray("input")),
                    DataType.FLOAT32);
            // widening is exact: PyTorch's x.double() of the same batch
            NDArray input64 = input.toType(DataType.FLOAT64, true);
            for (String arch : manifest.getAsJsonObject("nets").keySet()) {
                JsonObject net = manifest.getAsJsonObject("nets").getAsJsonObject(arch);
                for (String output : OUTPUTS) {
                    Shape shape = shape(net.getAsJsonArray(output));
                    double maxRef;
                    double diff32;
                    double diff64;
                    try (NDManager scope = manager.newSubManager()) {
                        NDArray expected = read(scope, dir.resolve(arch + "-" + output + ".bin"), shape,
                                DataType.FLOAT32);
                        maxRef = expected.abs().max().getFloat();
                        diff32 = maxDiff(run(dir, arch, output, input, DataType.FLOAT32, scope), expected);
                    }
                    try (NDManager scope = manager.newSubManager()) {
                        String file = net.getAsJsonObject("float64").get(output).getAsString();
                        NDArray expected = read(scope, dir.resolve(file), shape, DataType.FLOAT64);
                        diff64 = maxDiff(run(dir, arch, output, input64, DataType.FLOAT64, scope), expected);
                    }
                    double rounding = net.getAsJsonObject("torch_f32_vs_f64").get(output).getAsDouble();
                    table.row(arch, net.get("format").getAsString(), output, shape.toString(),
                            String.format(Locale.ROOT, "%.3f", maxRef), sci(diff32), sci(rounding), sci(diff64));
                }
            }
        }
        System.out.printf(Locale.ROOT, "torchvision %s (torch %s) vs vision-core's DJL blocks, largest absolute "
                        + "difference, batch %s, CPU%n", manifest.get("torchvision").getAsString(),
                manifest.get("torch").getAsString(), manifest.getAsJsonArray("input").get(0));
        System.out.println(table.render());
    }

    /** The checkpoint loaded into vision-core's classifier (logits) or backbone (features), run on input. */
    private static NDArray run(Path dir, String arch, String output, NDArray input, DataType dataType,
            NDManager scope) throws Exception {
        Architecture architecture = Architecture.parse(arch);
        try (TorchCheckpoint ckpt = TorchCheckpoint.open(dir.resolve(arch + ".pth"))) {
            Block block = "logits".equals(output)
                    ? TorchvisionWeights.classifier(architecture, ckpt, scope, dataType)
                    : TorchvisionWeights.backbone(architecture, ckpt, scope, dataType);
            // one float32 array (a batch-norm statistic, say) would quietly make the float64 run a float32 one
            for (Pair<String, Parameter> p : block.getParameters()) {
                DataType type = p.getValue().getArray().getDataType();
                if (type != dataType) {
                    throw new IllegalStateException(arch + " " + output + ": parameter " + p.getKey() + " is "
                            + type + ", not " + dataType);
                }
            }
            NDArray actual = block.forward(new ParameterStore(scope, false), new NDList(input), false)
                    .singletonOrThrow();
            if (actual.getDataType() != dataType) {
                throw new IllegalStateException(arch + " " + output + ": " + actual.getDataType() + " output");
            }
            return actual;
        }
    }

    private static double maxDiff(NDArray actual, NDArray expected) {
        if (!actual.getShape().equals(expected.getShape())) {
            throw new IllegalStateException("shape " + actual.getShape() + ", torchvision " + expected.getShape());
        }
        NDArray max = actual.sub(expected).abs().max();
        return max.getDataType() == DataType.FLOAT64 ? max.getDouble() : max.getFloat();
    }

    private static String sci(double value) {
        return value == 0 ? "0" : String.format(Locale.ROOT, "%.1e", value);
    }

    private static Shape shape(JsonArray dims) {
        long[] s = new long[dims.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = dims.get(i).getAsLong();
        }
        return new Shape(s);
    }

    /** A little-endian float32 or float64 file as an array of that type. */
    private static NDArray read(NDManager manager, Path file, Shape shape, DataType dataType) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer buffer = ByteBuffer.allocateDirect(bytes.length).order(ByteOrder.LITTLE_ENDIAN);
        buffer.put(bytes).flip();
        return dataType == DataType.FLOAT64
                ? manager.create(buffer.asDoubleBuffer(), shape)
                : manager.create(buffer.asFloatBuffer(), shape);
    }
}
