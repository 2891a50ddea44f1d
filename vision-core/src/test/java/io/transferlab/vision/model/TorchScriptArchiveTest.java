package io.transferlab.vision.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hand-written TorchScript archives load in libtorch and compute what their code says. */
class TorchScriptArchiveTest {

    @TempDir
    Path dir;

    @Test
    void tinyBackboneLoadsAndMapsImagesToFeatureMaps() throws Exception {
        Path file = dir.resolve("tiny.pt");
        TinyModules.tinyBackbone(1).write(file);
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Block block = Backbones.torchScript(file, m);
            assertThat(ParameterCounts.total(block)).isEqualTo(8 * 27 + 8 + 16 * 72 + 16);
            NDArray out = block.forward(new ParameterStore(m, false), new NDList(m.ones(new Shape(2, 3, 28, 28))),
                    false).singletonOrThrow();
            assertThat(out.getShape()).isEqualTo(new Shape(2, 16, 14, 14));
            assertThat(out.min().getFloat()).isGreaterThanOrEqualTo(0f);
            assertThat(out.max().getFloat()).isPositive();
        }
    }

    @Test
    void tinyClassifierHasImageNetsShape() throws Exception {
        Path file = dir.resolve("cls.pt");
        TinyModules.tinyImageNetClassifier(2).write(file);
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Block block = Backbones.torchScript(file, m);
            NDArray out = block.forward(new ParameterStore(m, false), new NDList(m.ones(new Shape(1, 3, 224, 224))),
                    false).singletonOrThrow();
            assertThat(out.getShape()).isEqualTo(new Shape(1, 1000));
        }
    }
}
