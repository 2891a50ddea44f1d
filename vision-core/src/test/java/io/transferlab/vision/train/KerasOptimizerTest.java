package io.transferlab.vision.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import io.transferlab.vision.Engines;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One or two steps of each optimizer on f(w) = sum(c * w), whose gradient is c, against Keras' formulas. */
class KerasOptimizerTest {

    private static float[] steps(OptimizerKind kind, double momentum, double lr, int steps) {
        Engines.pytorch();
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Parameter p = Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT).build();
            p.setShape(new Shape(2));
            p.setInitializer((manager, shape, dataType) -> manager.create(new float[] {1f, -1f}).duplicate());
            p.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32);
            try (KerasOptimizer optimizer = new KerasOptimizer(kind, momentum).group(List.of(p), lr)) {
                for (int s = 0; s < steps; s++) {
                    JniUtils.setGradMode(true);
                    try (NDArray c = m.create(new float[] {0.5f, -2f}); NDArray loss = p.getArray().mul(c).sum()) {
                        JniUtils.backward((PtNDArray) loss, (PtNDArray) m.ones(loss.getShape()), false, false);
                    }
                    JniUtils.setGradMode(false);
                    optimizer.step();
                }
            }
            return p.getArray().toFloatArray();
        }
    }

    @Test
    void plainSgdStepsAgainstTheGradient() {
        float[] w = steps(OptimizerKind.SGD, 0, 0.1, 2);
        assertThat(w[0]).isCloseTo(1f - 2 * 0.05f, within(1e-6f));
        assertThat(w[1]).isCloseTo(-1f + 2 * 0.2f, within(1e-6f));
    }

    @Test
    void sgdWithMomentumAccumulatesVelocity() {
        // v1 = -lr g, w1 = w0 + v1; v2 = m v1 - lr g, w2 = w1 + v2
        float[] w = steps(OptimizerKind.SGD, 0.9, 0.1, 2);
        assertThat(w[0]).isCloseTo(1f - 0.05f + (0.9f * -0.05f - 0.05f), within(1e-6f));
        assertThat(w[1]).isCloseTo(-1f + 0.2f + (0.9f * 0.2f + 0.2f), within(1e-6f));
    }

    @Test
    void rmspropDividesByTheRootMeanSquare() {
        // ms = 0.1 g^2; w -= lr g / (sqrt(ms) + 1e-7)
        float[] w = steps(OptimizerKind.RMSPROP, 0, 0.01, 1);
        assertThat(w[0]).isCloseTo((float) (1 - 0.01 * 0.5 / (Math.sqrt(0.1 * 0.25) + 1e-7)), within(1e-6f));
        assertThat(w[1]).isCloseTo((float) (-1 + 0.01 * 2 / (Math.sqrt(0.1 * 4) + 1e-7)), within(1e-6f));
    }

    @Test
    void adamFirstStepMovesEachWeightByAboutTheLearningRate() {
        float[] w = steps(OptimizerKind.ADAM, 0, 0.01, 1);
        assertThat(w[0]).isCloseTo(1f - 0.01f, within(1e-5f));
        assertThat(w[1]).isCloseTo(-1f + 0.01f, within(1e-5f));
    }

    @Test
    void gradientsDoNotAccumulateAcrossSteps() {
        // plain SGD: two steps move by exactly twice one step
        float[] one = steps(OptimizerKind.SGD, 0, 0.1, 1);
        float[] two = steps(OptimizerKind.SGD, 0, 0.1, 2);
        assertThat(1f - two[0]).isCloseTo(2 * (1f - one[0]), within(1e-6f));
    }

    @Test
    void everyParameterOfEveryGroupMovesByItsOwnGradientAndRate() {
        // one fused call per group: weights of different shapes, two groups with their own learning rates
        Engines.pytorch();
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Parameter a = parameter(m, "a", new float[] {1f, 2f});
            Parameter b = parameter(m, "b", new float[] {3f, 4f, 5f});
            Parameter c = parameter(m, "c", new float[] {6f});
            try (KerasOptimizer optimizer = new KerasOptimizer(OptimizerKind.SGD, 0)
                    .group(List.of(a, b), 0.1).group(List.of(c), 0.01)) {
                JniUtils.setGradMode(true);
                // loss = sum(a) + 2 sum(b) + 3 sum(c): gradients 1, 2 and 3
                try (NDArray two = m.create(2f); NDArray three = m.create(3f);
                        NDArray loss = a.getArray().sum().add(b.getArray().sum().mul(two))
                                .add(c.getArray().sum().mul(three))) {
                    JniUtils.backward((PtNDArray) loss, (PtNDArray) m.ones(loss.getShape()), false, false);
                }
                JniUtils.setGradMode(false);
                optimizer.step();
                assertThat(optimizer.parameterCount()).isEqualTo(3);
            }
            assertThat(a.getArray().toFloatArray()).containsExactly(new float[] {0.9f, 1.9f}, within(1e-6f));
            assertThat(b.getArray().toFloatArray()).containsExactly(new float[] {2.8f, 3.8f, 4.8f}, within(1e-6f));
            assertThat(c.getArray().toFloatArray()).containsExactly(new float[] {5.97f}, within(1e-6f));
            try (NDArray g = b.getArray().getGradient()) {
                assertThat(g.toFloatArray()).containsOnly(0f);
            }
        }
    }

    private static Parameter parameter(NDManager m, String name, float[] values) {
        Parameter p = Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT).build();
        p.setShape(new Shape(values.length));
        p.setInitializer((manager, shape, dataType) -> manager.create(values).duplicate());
        p.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32);
        return p;
    }
}
