package io.transferlab.vision.model;

/**
 * The classification top put on a backbone: pooling, dropout, an optional hidden dense layer with relu,
 * dropout again, and a dense output layer with one unit per class (logits; softmax is applied by the loss and
 * by the classifier).
 *
 * @param denseUnits units of the hidden layer, 0 for none
 * @param dropout rate of the dropout before each dense layer, in [0, 1)
 */
public record HeadSpec(Pooling pooling, int denseUnits, double dropout, int numClasses) {

    public HeadSpec {
        if (pooling == null) {
            throw new IllegalArgumentException("pooling is required");
        }
        if (denseUnits < 0) {
            throw new IllegalArgumentException("denseUnits must be >= 0");
        }
        if (dropout < 0 || dropout >= 1) {
            throw new IllegalArgumentException("dropout must be in [0, 1)");
        }
        if (numClasses < 2) {
            throw new IllegalArgumentException("a classifier needs at least 2 classes");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public HeadBlock newBlock() {
        return new HeadBlock(this);
    }

    public static final class Builder {
        private Pooling pooling = Pooling.FLATTEN;
        private int denseUnits = 256;
        private double dropout;
        private int numClasses = -1;

        public Builder pooling(Pooling v) { pooling = v; return this; }
        public Builder denseUnits(int v) { denseUnits = v; return this; }
        public Builder dropout(double v) { dropout = v; return this; }
        public Builder numClasses(int v) { numClasses = v; return this; }

        public HeadSpec build() {
            return new HeadSpec(pooling, denseUnits, dropout, numClasses);
        }
    }
}
