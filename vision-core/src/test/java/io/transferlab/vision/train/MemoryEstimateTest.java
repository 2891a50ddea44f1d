package io.transferlab.vision.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.transferlab.contracts.train.RunSpec;
import io.transferlab.vision.model.Architecture;
import org.junit.jupiter.api.Test;

class MemoryEstimateTest {

    private static RunSpec spec(String backbone, int side, int batch, boolean freeze) {
        return RunSpec.builder().dataset("mnist").backbone(backbone).weights("random").imageSize(side)
                .batchSize(batch).freeze(freeze).denseUnits(256).optimizer("adam").build().withDefaults();
    }

    @Test
    void countsTheBackboneParametersAsTheKerasReferenceModels() {
        // the figures Architecture quotes (Keras' notop models): ResNet-50 23,587,712, VGG16 14,714,688
        assertThat(MemoryEstimate.Layers.of(Architecture.RESNET50, 3, 224).parameters).isEqualTo(23_587_712L);
        assertThat(MemoryEstimate.Layers.of(Architecture.VGG16, 3, 224).parameters).isEqualTo(14_714_688L);
        assertThat(MemoryEstimate.Layers.of(Architecture.SMALL_CNN, 3, 32).parameters).isEqualTo(896 + 9_248);
    }

    @Test
    void knowsTheOutputShapeTheHeadSees() {
        MemoryEstimate.Layers resnet = MemoryEstimate.Layers.of(Architecture.RESNET50, 3, 224);
        assertThat(new long[] {resnet.c, resnet.h, resnet.w}).containsExactly(2048, 7, 7);
        MemoryEstimate.Layers small = MemoryEstimate.Layers.of(Architecture.SMALL_CNN, 1, 28);
        assertThat(new long[] {small.c, small.h, small.w}).containsExactly(32, 12, 12);
    }

    @Test
    void activationsGrowWithTheSquareOfTheImageSideAndTheBatch() {
        long at224 = MemoryEstimate.Layers.of(Architecture.RESNET50, 3, 224).activations;
        long at448 = MemoryEstimate.Layers.of(Architecture.RESNET50, 3, 448).activations;
        assertThat(at224).isBetween(30_000_000L, 45_000_000L); // ~150 MB of floats per 224 px image
        assertThat((double) at448 / at224).isBetween(3.9, 4.1);
        MemoryEstimate b8 = MemoryEstimate.of(spec("resnet50", 224, 8, false), Architecture.RESNET50, 0, 3, 10, 0);
        MemoryEstimate b16 = MemoryEstimate.of(spec("resnet50", 224, 16, false), Architecture.RESNET50, 0, 3, 10, 0);
        assertThat(b16.activationBytes()).isEqualTo(2 * b8.activationBytes());
    }

    @Test
    void aFrozenBackboneHasNoGradientsOptimizerStateOrBackwardPass() {
        MemoryEstimate trained = MemoryEstimate.of(spec("resnet50", 224, 16, false), Architecture.RESNET50, 0, 3, 10,
                0);
        MemoryEstimate frozen = MemoryEstimate.of(spec("resnet50", 224, 16, true), Architecture.RESNET50, 0, 3, 10, 0);
        assertThat(trained.trainable()).isEqualTo(trained.parameters());
        assertThat(trained.optimizerBytes()).isEqualTo(trained.trainable() * 8); // adam: two floats per parameter
        assertThat(frozen.trainable()).isLessThan(frozen.parameters() - 23_000_000L);
        // without autograd only the largest layer input + output is alive (the stem conv to batch-norm) + the input
        assertThat(frozen.activationFloatsPerImage()).isEqualTo(2L * 64 * 112 * 112 + 3 * 224 * 224);
        assertThat(frozen.totalBytes()).isLessThan(trained.totalBytes());
    }

    @Test
    void theIssuesExampleIsTerabytesAndDoesNotOverflow() {
        MemoryEstimate huge = MemoryEstimate.of(spec("resnet50", 1024, 4096, false), Architecture.RESNET50, 0, 3, 10,
                0);
        assertThat(huge.totalBytes()).isGreaterThan(10L << 40);
        assertThat(huge.describe()).contains("activations").contains("batch 4096").contains("parameters");
        assertThat(huge.exceeds(10L << 40)).isTrue();
        MemoryEstimate overflowing = new MemoryEstimate(1, 1, Long.MAX_VALUE / 8, 1024, true, 2, 0);
        assertThat(overflowing.exceeds(Long.MAX_VALUE - 1)).isTrue();
        assertThat(overflowing.describe()).contains("more than 8 EiB");
    }

    @Test
    void aTorchScriptFileCountsItsSizeAsParameters() {
        RunSpec spec = RunSpec.builder().dataset("mnist").backbone("torchscript:x.pt").imageSize(64).batchSize(8)
                .freeze(true).denseUnits(0).build().withDefaults();
        MemoryEstimate e = MemoryEstimate.of(spec, null, 400_000_000L, 3, 10, 0);
        assertThat(e.parameters()).isGreaterThan(100_000_000L);
    }
}
