package io.transferlab.vision.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A sequence of blocks, like DJL's {@code SequentialBlock}, that releases every intermediate result as soon as
 * the next block has consumed it. DJL keeps each intermediate array until its manager closes, so a ResNet-50
 * batch would otherwise hold all ~170 activations at once (gigabytes at 224 px). Releasing a Java handle early
 * is safe for training too: autograd keeps its own references to what the backward pass needs.
 */
public class Chain extends AbstractBlock {

    private static final byte VERSION = 1;

    public Chain() {
        super(VERSION);
    }

    public Chain add(String name, Block block) {
        addChildBlock(name, block);
        return this;
    }

    public int size() {
        return children.size();
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDList current = inputs;
        for (Block child : children.values()) {
            NDList next = child.forward(parameterStore, current, training, params);
            if (current != inputs) {
                release(current, next);
            }
            current = next;
        }
        return current;
    }

    /** Closes the arrays of {@code done} that {@code kept} does not pass on (a block may return its input). */
    static void release(NDList done, NDList kept) {
        for (NDArray array : done) {
            boolean passedOn = false;
            for (NDArray k : kept) {
                if (k == array) {
                    passedOn = true;
                    break;
                }
            }
            if (!passedOn) {
                array.close();
            }
        }
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape[] shapes = inputShapes;
        for (Block child : children.values()) {
            child.initialize(manager, dataType, shapes);
            shapes = child.getOutputShapes(shapes);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] shapes = inputShapes;
        for (Block child : children.values()) {
            shapes = child.getOutputShapes(shapes);
        }
        return shapes;
    }
}
