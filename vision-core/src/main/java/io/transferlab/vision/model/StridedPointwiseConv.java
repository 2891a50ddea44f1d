package io.transferlab.vision.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A 1x1 convolution with stride {@code step}, computed as the same convolution with stride 1 on every
 * {@code step}-th row and column (the identical function, the same parameters, saved the same way).
 *
 * <p>Why: libtorch 2.7.1's oneDNN dies with SIGFPE (integer division by zero in
 * {@code brgemm_convolution_bwd_utils::brg_blocking_t::est_eff_1x1}) when it plans the backward pass of a strided
 * 1x1 convolution on AMD EPYC machines, which ended every ResNet-50 training from scratch there (the projection
 * shortcuts are strided 1x1 convolutions). A native crash ends the JVM; subsampling first avoids that kernel.
 */
final class StridedPointwiseConv extends Conv2d {

    private final int step;

    StridedPointwiseConv(Conv2d.Builder builder, int step) {
        super(builder);
        this.step = step;
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray sampled = x.get(":, :, ::" + step + ", ::" + step);
        NDList out = super.forwardInternal(parameterStore, new NDList(sampled), training, params);
        sampled.close();
        return out;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        Shape[] sampled = new Shape[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            Shape s = inputs[i];
            sampled[i] = new Shape(s.get(0), s.get(1), (s.get(2) + step - 1) / step, (s.get(3) + step - 1) / step);
        }
        return super.getOutputShapes(sampled);
    }
}
