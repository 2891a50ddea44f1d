package io.transferlab.vision.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Wraps a backbone so that its batch norms can stay in inference mode while the network trains. Pretrained
 * backbones always run that way, frozen or fine-tuned (the usual advice for transfer learning: batch statistics
 * of a few small batches would wreck the pretrained moving averages); backbones trained from scratch do not.
 */
public final class Backbone extends AbstractBlock {

    private static final byte VERSION = 1;

    private final Block inner;
    private final Architecture architecture;
    private boolean batchNormInference;

    public Backbone(Block inner, Architecture architecture, boolean batchNormInference) {
        super(VERSION);
        this.inner = addChildBlock("features", inner);
        this.architecture = architecture;
        this.batchNormInference = batchNormInference;
    }

    public Block inner() {
        return inner;
    }

    public Architecture architecture() {
        return architecture;
    }

    public boolean batchNormInference() {
        return batchNormInference;
    }

    /** Keeps (true) or stops keeping the backbone's parameters fixed during training. */
    public void freeze(boolean frozen) {
        inner.freezeParameters(frozen);
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return inner.forward(parameterStore, inputs, training && !batchNormInference, params);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        inner.initialize(manager, dataType, inputShapes);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inner.getOutputShapes(inputShapes);
    }
}
