package io.transferlab.bench.vision;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
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
 */
public final class TorchvisionWeightsCheck {

    private TorchvisionWeightsCheck() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        Path dir = args.path("dir", null);
        JsonObject manifest = JsonParser.parseString(Files.readString(dir.resolve("manifest.json"))).getAsJsonObject();
        Table table = new Table("network", "checkpoint", "output", "shape", "max |torchvision|", "max |difference|",
                "relative");
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            NDArray input = read(manager, dir.resolve("input.bin"), shape(manifest.getAsJsonArray("input")));
            for (String arch : manifest.getAsJsonObject("nets").keySet()) {
                JsonObject net = manifest.getAsJsonObject("nets").getAsJsonObject(arch);
                Architecture architecture = Architecture.parse(arch);
                try (NDManager scope = manager.newSubManager();
                        TorchCheckpoint ckpt = TorchCheckpoint.open(dir.resolve(arch + ".pth"))) {
                    Block classifier = TorchvisionWeights.classifier(architecture, ckpt, scope);
                    compare(table, arch, net, "logits", classifier, input, scope, dir);
                }
                try (NDManager scope = manager.newSubManager();
                        TorchCheckpoint ckpt = TorchCheckpoint.open(dir.resolve(arch + ".pth"))) {
                    Block backbone = TorchvisionWeights.backbone(architecture, ckpt, scope);
                    compare(table, arch, net, "features", backbone, input, scope, dir);
                }
            }
        }
        System.out.printf(Locale.ROOT, "torchvision %s (torch %s) vs vision-core's DJL blocks, fp32, batch %s, CPU%n",
                manifest.get("torchvision").getAsString(), manifest.get("torch").getAsString(),
                manifest.getAsJsonArray("input").get(0));
        System.out.println(table.render());
    }

    private static void compare(Table table, String arch, JsonObject net, String output, Block block, NDArray input,
            NDManager scope, Path dir) throws Exception {
        NDArray expected = read(scope, dir.resolve(arch + "-" + output + ".bin"), shape(net.getAsJsonArray(output)));
        NDArray actual = block.forward(new ParameterStore(scope, false), new NDList(input), false).singletonOrThrow();
        if (!actual.getShape().equals(expected.getShape())) {
            throw new IllegalStateException(arch + " " + output + ": shape " + actual.getShape() + ", torchvision "
                    + expected.getShape());
        }
        float maxRef = expected.abs().max().getFloat();
        float maxDiff = actual.sub(expected).abs().max().getFloat();
        table.row(arch, net.get("format").getAsString(), output, expected.getShape().toString(),
                String.format(Locale.ROOT, "%.3f", maxRef), String.format(Locale.ROOT, "%.2e", maxDiff),
                String.format(Locale.ROOT, "%.1e", maxDiff / maxRef));
    }

    private static Shape shape(JsonArray dims) {
        long[] s = new long[dims.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = dims.get(i).getAsLong();
        }
        return new Shape(s);
    }

    private static NDArray read(NDManager manager, Path file, Shape shape) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer buffer = ByteBuffer.allocateDirect(bytes.length).order(ByteOrder.LITTLE_ENDIAN);
        buffer.put(bytes).flip();
        return manager.create(buffer.asFloatBuffer(), shape);
    }
}
