package io.transferlab.vision.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;
import java.util.SplittableRandom;

/**
 * Keras' default kernel initializer (Glorot/Xavier uniform: limits of +-sqrt(6 / (fan_in + fan_out))), drawn in
 * Java from a seeded generator so that initial weights depend only on the run's seed, never on the engine's global
 * random state that other threads share. Parameters are drawn in the order they are initialized.
 */
public final class GlorotUniform implements Initializer {

    private final SplittableRandom random;

    public GlorotUniform(long seed) {
        this.random = new SplittableRandom(seed);
    }

    @Override
    public synchronized NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
        long[] dims = shape.getShape();
        if (dims.length < 2) {
            throw new IllegalArgumentException("Glorot initialisation needs a weight of at least 2 dimensions: " + shape);
        }
        long receptive = 1;
        for (int i = 2; i < dims.length; i++) {
            receptive *= dims[i];
        }
        double fanIn = dims[1] * receptive;
        double fanOut = dims[0] * receptive;
        float limit = (float) Math.sqrt(6.0 / (fanIn + fanOut));
        float[] values = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) ((random.nextDouble() * 2 - 1) * limit);
        }
        // Copied into libtorch-owned memory: an array made from Java memory is valid only while its Java object
        // lives. (toType with an unchanged type would alias that memory, so duplicate is what copies.)
        try (NDArray javaOwned = manager.create(values, shape)) {
            NDArray owned = javaOwned.duplicate();
            if (owned.getDataType() == dataType) {
                return owned;
            }
            try (owned) {
                return owned.toType(dataType, false);
            }
        }
    }
}
