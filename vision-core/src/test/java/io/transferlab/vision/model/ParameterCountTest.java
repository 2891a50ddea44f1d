package io.transferlab.vision.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import org.junit.jupiter.api.Test;

/** The architectures built here have the reference models' parameter counts (Keras' summary figures). */
class ParameterCountTest {

    @Test
    void resnet50WithoutTopHasTheKerasCount() {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            Block block = Backbones.random(Architecture.RESNET50, 224, 1, manager);
            assertThat(ParameterCounts.total(block)).isEqualTo(23_587_712L);
            assertThat(block.getOutputShapes(new Shape[] {Network.inputShape(224)})[0])
                    .isEqualTo(new Shape(1, 2048, 7, 7));
        }
    }

    @Test
    void flattenHeadOnResnet50At224HasTheChapterCounts() {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            HeadSpec spec = HeadSpec.builder().pooling(Pooling.FLATTEN).denseUnits(256).numClasses(10).build();
            HeadBlock head = spec.newBlock();
            head.initialize(manager, DataType.FLOAT32, new Shape(1, 2048, 7, 7));
            long hidden = head.getParameters().stream()
                    .filter(p -> p.getKey().contains("dense"))
                    .mapToLong(p -> p.getValue().getArray().size()).sum();
            long output = head.getParameters().stream()
                    .filter(p -> p.getKey().contains("output"))
                    .mapToLong(p -> p.getValue().getArray().size()).sum();
            assertThat(hidden).isEqualTo(25_690_368L);
            assertThat(output).isEqualTo(2_570L);
            assertThat(ParameterCounts.total(head)).isEqualTo(25_690_368L + 2_570L);
        }
    }

    @Test
    void vgg16WithoutTopHasTheKerasCount() {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            Block block = Backbones.random(Architecture.VGG16, 224, 1, manager);
            assertThat(ParameterCounts.total(block)).isEqualTo(14_714_688L);
            assertThat(block.getOutputShapes(new Shape[] {Network.inputShape(224)})[0])
                    .isEqualTo(new Shape(1, 512, 7, 7));
        }
    }

    @Test
    void smallCnnWithTheChaptersHeadOnCifarSizedImages() {
        // conv 32: 3*3*3*32+32 = 896; conv 32: 3*3*32*32+32 = 9,248; dense 256 on 14*14*32 = 1,605,888; dense 10 = 2,570
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            Block block = Backbones.random(Architecture.SMALL_CNN, 32, 1, manager);
            assertThat(ParameterCounts.total(block)).isEqualTo(896L + 9_248L);
            HeadBlock head = HeadSpec.builder().denseUnits(256).dropout(0.25).numClasses(10).build().newBlock();
            head.initialize(manager, DataType.FLOAT32, block.getOutputShapes(new Shape[] {Network.inputShape(32)}));
            assertThat(ParameterCounts.total(head)).isEqualTo(1_605_888L + 2_570L);
        }
    }

    @Test
    void resnet18WithoutTopHasTorchvisionsWeightsPlusConvBiasesAndMovingStatistics() {
        // torchvision's resnet18 without fc: 11,176,512 weights; its convolutions have 4,800 output channels in all,
        // each adding a conv bias here plus a moving mean and variance in the batch norm.
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            Block block = Backbones.random(Architecture.RESNET18, 64, 1, manager);
            assertThat(ParameterCounts.total(block)).isEqualTo(11_176_512L + 3 * 4_800L);
        }
    }
}
