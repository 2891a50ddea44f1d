package io.transferlab.vision.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.transferlab.testsupport.LoopbackServer;
import io.transferlab.testsupport.torchvision.TorchCheckpointWriter;
import io.transferlab.testsupport.torchvision.TorchvisionResNet18;
import io.transferlab.vision.MissingWeightsException;
import io.transferlab.vision.VisionSettings;
import io.transferlab.vision.fetch.FetchSettings;
import io.transferlab.vision.model.torch.TorchCheckpoint;
import io.transferlab.vision.model.torch.UnsupportedCheckpointException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * torchvision's ResNet-18 checkpoint, written by the test in PyTorch's format with random values, fetched from a
 * loopback server on first use and loaded into our blocks: every value lands where torchvision's name says.
 */
class TorchvisionCheckpointIT {

    @TempDir
    Path dir;

    private static TorchCheckpointWriter resnet18() {
        return new TorchCheckpointWriter().random(TorchvisionResNet18.shapes(), 18);
    }

    @Test
    void resNet18FetchedOnFirstUseLoadsIntoOurBlocks() throws Exception {
        TorchCheckpointWriter writer = resnet18();
        byte[] bytes = writer.toBytes();
        String name = "resnet18-" + LoopbackServer.sha256(bytes).substring(0, 8) + ".pth";
        try (LoopbackServer server = new LoopbackServer().serve("/models/" + name, bytes);
                NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            VisionSettings settings = VisionSettings.builder().dataDir(dir).fetch(new FetchSettings(false,
                    server.url("/models/"), null, null, 1 << 30, 2, Duration.ofMillis(10),
                    Map.of("resnet18", name))).build();
            Path checkpoint = ImageNetWeights.fetchCheckpoint(settings, Architecture.RESNET18, "resnet18-imagenet-notop.pt");
            assertThat(checkpoint).isEqualTo(dir.resolve("weights/torchvision").resolve(name));
            assertThat(ImageNetWeights.fetchCheckpoint(settings, Architecture.RESNET18, "x.pt")).isEqualTo(checkpoint);
            assertThat(server.requests("/models/" + name)).isEqualTo(1);

            Block block = ImageNetWeights.backboneFromCheckpoint(checkpoint, Architecture.RESNET18, manager);
            Block stem = TorchvisionWeights.child(block, "stem");
            assertThat(TorchvisionWeights.child(stem, "conv").getDirectParameters().get("weight").getArray()
                    .toFloatArray()).containsExactly(writer.values("conv1.weight"));
            assertThat(TorchvisionWeights.child(stem, "conv").getDirectParameters().get("bias").getArray()
                    .toFloatArray()).containsOnly(0f);
            Block unit = TorchvisionWeights.child(block, "stage4_0");
            Block projection = TorchvisionWeights.child(unit, "shortcut");
            assertThat(TorchvisionWeights.child(projection, "conv").getDirectParameters().get("weight").getArray()
                    .toFloatArray()).containsExactly(writer.values("layer4.0.downsample.0.weight"));
            Block second = TorchvisionWeights.child(TorchvisionWeights.child(unit, "main"), "b");
            assertThat(TorchvisionWeights.child(second, "bn").getDirectParameters().get("runningMean").getArray()
                    .toFloatArray()).containsExactly(writer.values("layer4.0.bn2.running_mean"));

            NDArray x = manager.randomNormal(new Shape(1, 3, 64, 64));
            NDArray features = block.forward(new ParameterStore(manager, false), new NDList(x), false)
                    .singletonOrThrow();
            assertThat(features.getShape()).isEqualTo(new Shape(1, 512, 2, 2));
        }
    }

    @Test
    void classifierCarriesTorchvisionsFc() throws Exception {
        TorchCheckpointWriter writer = resnet18();
        Path file = dir.resolve("resnet18.pth");
        Files.write(file, writer.toBytes());
        try (NDManager manager = NDManager.newBaseManager(Device.cpu()); TorchCheckpoint ckpt = TorchCheckpoint.open(file)) {
            Block net = TorchvisionWeights.classifier(Architecture.RESNET18, ckpt, manager);
            assertThat(TorchvisionWeights.child(net, "fc").getDirectParameters().get("bias").getArray().toFloatArray())
                    .containsExactly(writer.values("fc.bias"));
            NDArray logits = net.forward(new ParameterStore(manager, false),
                    new NDList(manager.randomNormal(new Shape(2, 3, 224, 224))), false).singletonOrThrow();
            assertThat(logits.getShape()).isEqualTo(new Shape(2, 1000));
        }
    }

    @Test
    void loadsInFloat64WithTheEpsilonShiftInDouble() throws Exception {
        TorchCheckpointWriter writer = resnet18();
        Path file = dir.resolve("resnet18.pth");
        Files.write(file, writer.toBytes());
        try (NDManager manager = NDManager.newBaseManager(Device.cpu());
                TorchCheckpoint ckpt = TorchCheckpoint.open(file)) {
            Block net = TorchvisionWeights.classifier(Architecture.RESNET18, ckpt, manager, DataType.FLOAT64);
            // every parameter, batch-norm statistics included: a float32 one would make the proof float32 again
            for (var p : net.getParameters()) {
                assertThat(p.getValue().getArray().getDataType()).as(p.getKey()).isEqualTo(DataType.FLOAT64);
            }
            Block stem = TorchvisionWeights.child(TorchvisionWeights.child(net, "features"), "stem");
            float[] conv1 = writer.values("conv1.weight");
            double[] loaded = TorchvisionWeights.child(stem, "conv").getDirectParameters().get("weight").getArray()
                    .toDoubleArray();
            for (int i = 0; i < conv1.length; i++) {
                assertThat(loaded[i]).isEqualTo(conv1[i]);
            }
            float[] variances = writer.values("bn1.running_var");
            double[] shifted = TorchvisionWeights.child(stem, "bn").getDirectParameters().get("runningVar")
                    .getArray().toDoubleArray();
            double epsilon = Layers.BN_EPSILON;
            for (int i = 0; i < variances.length; i++) {
                // our epsilon reaches libtorch as this double: the sum is torchvision's var + 1e-5
                assertThat(shifted[i] + epsilon).isCloseTo(variances[i] + 1e-5, within(1e-15));
            }

            NDArray x = manager.randomNormal(new Shape(1, 3, 224, 224));
            NDArray wide = net.forward(new ParameterStore(manager, false), new NDList(x.toType(DataType.FLOAT64,
                    true)), false).singletonOrThrow();
            assertThat(wide.getDataType()).isEqualTo(DataType.FLOAT64);
            Block narrowNet = TorchvisionWeights.classifier(Architecture.RESNET18, ckpt, manager);
            NDArray narrow = narrowNet.forward(new ParameterStore(manager, false), new NDList(x), false)
                    .singletonOrThrow();
            double scale = narrow.abs().max().getFloat();
            assertThat(wide.toType(DataType.FLOAT32, false).sub(narrow).abs().max().getFloat())
                    .isLessThan((float) (1e-4 * scale));
        }
    }

    @Test
    void namesEveryMissingExtraAndMisshapenTensor() throws Exception {
        Map<String, long[]> shapes = new LinkedHashMap<>(TorchvisionResNet18.shapes());
        shapes.remove("layer2.0.bn1.running_var");
        shapes.put("layer3.1.conv2.weight", new long[] {256, 256, 1, 1});
        shapes.put("layer5.0.conv1.weight", new long[] {8});
        Path file = dir.resolve("bad.pth");
        Files.write(file, new TorchCheckpointWriter().random(shapes, 1).toBytes());
        try (NDManager manager = NDManager.newBaseManager(Device.cpu()); TorchCheckpoint ckpt = TorchCheckpoint.open(file)) {
            assertThatThrownBy(() -> TorchvisionWeights.backbone(Architecture.RESNET18, ckpt, manager))
                    .isInstanceOf(IncompatibleWeightsException.class)
                    .isInstanceOf(MissingWeightsException.class)
                    .hasMessageContaining("missing tensor layer2.0.bn1.running_var")
                    .hasMessageContaining("tensor layer3.1.conv2.weight has shape [256, 256, 1, 1]")
                    .hasMessageContaining("unexpected tensor layer5.0.conv1.weight");
        }
    }

    @Test
    void refusesAPickleThatNamesAnyOtherPythonGlobal() throws Exception {
        Path file = dir.resolve("hostile.pth");
        Files.write(file, new TorchCheckpointWriter().tensor("fc.bias", new long[] {2}, new float[] {1, 2})
                .hostileGlobal("os", "system").toBytes());
        assertThatThrownBy(() -> TorchCheckpoint.open(file))
                .isInstanceOf(UnsupportedCheckpointException.class)
                .hasMessageContaining("os.system");
    }

    @Test
    void offlineWithoutTheFileIsMissingWeightsNamingFileUrlAndMirror() {
        VisionSettings settings = VisionSettings.builder().dataDir(dir)
                .fetch(FetchSettings.defaults().withOffline(true)).build();
        assertThatThrownBy(() -> ImageNetWeights.fetchCheckpoint(settings, Architecture.RESNET50,
                "resnet50-imagenet-notop.pt"))
                .isInstanceOf(MissingWeightsException.class)
                .hasMessageContaining("resnet50-imagenet-notop.pt")
                .hasMessageContaining("https://download.pytorch.org/models/resnet50-0676ba61.pth")
                .hasMessageContaining("TRANSFERLAB_MIRROR_URL")
                .hasMessageContaining("TRANSFERLAB_OFFLINE=true");
        assertThat(ImageNetWeights.unavailable(settings, Architecture.RESNET50, "resnet50-imagenet.pt")).isPresent();
        assertThat(ImageNetWeights.unavailable(settings.toBuilder().fetch(FetchSettings.defaults()).build(),
                Architecture.RESNET50, "resnet50-imagenet.pt")).isEmpty();
    }
}
