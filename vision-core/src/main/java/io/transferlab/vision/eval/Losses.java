package io.transferlab.vision.eval;

import ai.djl.ndarray.NDArray;

/** Softmax cross-entropy on logits, per example (Keras' categorical cross-entropy on a softmax output). */
public final class Losses {

    private Losses() {
    }

    /** Per-example loss: -log softmax(logits)[label]. {@code labels} are class indices (any integer type). */
    public static NDArray crossEntropy(NDArray logits, NDArray labels) {
        NDArray logProbabilities = logits.logSoftmax(1);
        NDArray oneHot = labels.oneHot((int) logits.getShape().get(1));
        NDArray picked = logProbabilities.mul(oneHot).sum(new int[] {1});
        NDArray loss = picked.neg();
        logProbabilities.close();
        oneHot.close();
        picked.close();
        return loss;
    }
}
