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

/** A residual unit: relu(main(x) + shortcut(x)), the shortcut being the identity or a projection. */
final class Residual extends AbstractBlock {

    private static final byte VERSION = 1;

    private final Block main;
    private final Block projection;

    Residual(Block main, Block projection) {
        super(VERSION);
        this.main = addChildBlock("main", main);
        this.projection = projection == null ? null : addChildBlock("shortcut", projection);
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDList m = main.forward(parameterStore, inputs, training, params);
        NDList s = projection == null ? inputs : projection.forward(parameterStore, inputs, training, params);
        NDArray sum = m.singletonOrThrow().add(s.singletonOrThrow());
        m.close();
        if (projection != null) {
            s.close();
        }
        NDArray out = sum.getNDArrayInternal().relu();
        sum.close();
        return new NDList(out);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        main.initialize(manager, dataType, inputShapes);
        if (projection != null) {
            projection.initialize(manager, dataType, inputShapes);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return main.getOutputShapes(inputShapes);
    }
}
