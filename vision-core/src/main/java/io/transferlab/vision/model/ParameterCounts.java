package io.transferlab.vision.model;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.ndarray.types.Shape;

/** Parameter counts the way Keras reports them: every weight, bias and batch-norm statistic. */
public final class ParameterCounts {

    private ParameterCounts() {
    }

    public static long total(Block block) {
        long sum = 0;
        for (Parameter p : block.getParameters().values()) {
            sum += size(p);
        }
        return sum;
    }

    /** Only what training would update (not frozen, not a moving statistic). */
    public static long trainable(Block block) {
        long sum = 0;
        for (Parameter p : block.getParameters().values()) {
            if (p.requiresGradient()) {
                sum += size(p);
            }
        }
        return sum;
    }

    /** Bytes of parameter memory (what a model cache has to budget for). */
    public static long bytes(Block block) {
        long sum = 0;
        for (Parameter p : block.getParameters().values()) {
            if (p.isInitialized()) {
                sum += p.getArray().size() * p.getArray().getDataType().getNumOfBytes();
            } else {
                sum += size(p) * 4;
            }
        }
        return sum;
    }

    private static long size(Parameter p) {
        if (p.isInitialized()) {
            return p.getArray().size();
        }
        Shape s = p.getShape();
        return s == null ? 0 : s.size();
    }
}
