package io.transferlab.vision.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;

/** Factories for the layers our architectures are made of, with Keras' choices (biases on every conv). */
final class Layers {

    /** As Keras' ResNet50; the exact value only matters for pretrained statistics. */
    static final float BN_EPSILON = 1.001e-5f;

    private Layers() {
    }

    static Block conv(int filters, int kernel, int stride, int padding) {
        boolean stridedPointwise = kernel == 1 && stride > 1 && padding == 0;
        int s = stridedPointwise ? 1 : stride;
        Conv2d.Builder builder = Conv2d.builder()
                .setKernelShape(new Shape(kernel, kernel))
                .setFilters(filters)
                .optStride(new Shape(s, s))
                .optPadding(new Shape(padding, padding))
                .optBias(true);
        // see StridedPointwiseConv: libtorch's oneDNN crashes planning this one's backward pass on some CPUs
        return stridedPointwise ? new StridedPointwiseConv(builder, stride) : builder.build();
    }

    /**
     * Running statistics follow each batch with weight 0.1 (PyTorch's default, DJL momentum 0.9) rather than
     * Keras' 0.01: runs here are a few epochs of a few hundred images, too short for 0.99 to converge.
     */
    static Block batchNorm() {
        return BatchNorm.builder().optEpsilon(BN_EPSILON).optMomentum(0.9f).build();
    }

    static Block relu() {
        return Activation.reluBlock();
    }

    /** conv, batch norm and (optionally) relu. */
    static Chain convBn(int filters, int kernel, int stride, int padding, boolean relu) {
        Chain c = new Chain().add("conv", conv(filters, kernel, stride, padding)).add("bn", batchNorm());
        if (relu) {
            c.add("relu", relu());
        }
        return c;
    }

    static Block maxPool(int kernel, int stride, int padding) {
        return Pool.maxPool2dBlock(new Shape(kernel, kernel), new Shape(stride, stride), new Shape(padding, padding));
    }

    static Block dense(int units) {
        return Linear.builder().setUnits(units).optBias(true).build();
    }

    /** (N, C, H, W) to (N, C*H*W) in C, H, W order. */
    static Block flatten() {
        return new LambdaBlock(list -> new NDList(list.singletonOrThrow().reshape(list.singletonOrThrow().getShape().get(0), -1)), "flatten");
    }

    /** (N, C, H, W) to (N, C): the mean over each feature map. */
    static Block globalAveragePool() {
        return new LambdaBlock(list -> {
            NDArray x = list.singletonOrThrow();
            // the PyTorch engine averages over one axis at a time: fold H and W into one
            try (NDArray folded = x.reshape(x.getShape().get(0), x.getShape().get(1), -1)) {
                return new NDList(folded.mean(new int[] {2}));
            }
        }, "globalAvgPool");
    }
}
