package io.transferlab.vision.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.SplittableRandom;

/**
 * Inverted dropout (kept units scaled by 1/(1-rate), as Keras does) whose masks come from a Java generator that
 * the trainer seeds per run. The engine's own dropout draws from libtorch's process-wide generator, which makes
 * runs depend on whatever else the process does; this one makes a run a function of its seed.
 */
public final class SeededDropout extends AbstractBlock {

    private static final byte VERSION = 1;

    private final float rate;
    private SplittableRandom random = new SplittableRandom(0);

    public SeededDropout(float rate) {
        super(VERSION);
        if (rate < 0 || rate >= 1) {
            throw new IllegalArgumentException("dropout rate must be in [0, 1): " + rate);
        }
        this.rate = rate;
    }

    public float rate() {
        return rate;
    }

    /** Restarts the mask sequence. */
    public void reseed(long seed) {
        random = new SplittableRandom(seed);
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        if (!training || rate == 0f) {
            return new NDList(x);
        }
        NDManager manager = x.getManager();
        float keep = 1f / (1f - rate);
        float[] mask = new float[Math.toIntExact(x.getShape().size())];
        for (int i = 0; i < mask.length; i++) {
            mask[i] = random.nextDouble() >= rate ? keep : 0f;
        }
        // manager.create wraps Java-owned direct memory that lives only as long as the Java array object; autograd
        // keeps the mask for the backward pass, after this method has released that object: give it its own copy.
        try (NDArray javaOwned = manager.create(mask, x.getShape()); NDArray m = javaOwned.duplicate()) {
            return new NDList(x.mul(m));
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }

    @Override
    public String toString() {
        return "SeededDropout(" + rate + ")";
    }
}
