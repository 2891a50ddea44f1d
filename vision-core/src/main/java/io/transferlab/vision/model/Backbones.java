package io.transferlab.vision.model;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import java.nio.file.Path;

/** Backbone feature extractors with their weights: random from a seed, or a TorchScript module from a file. */
public final class Backbones {

    private Backbones() {
    }

    /** An architecture built here, initialised (Glorot uniform kernels, zero biases) from {@code seed}. */
    public static Block random(Architecture architecture, int imageSize, long seed, NDManager manager) {
        Block block = architecture.newBlock();
        block.setInitializer(new GlorotUniform(seed), Parameter.Type.WEIGHT);
        block.initialize(manager, DataType.FLOAT32, Network.inputShape(imageSize));
        return block;
    }

    /**
     * A TorchScript module as a block. Its parameters can be trained (they are frozen or not by the caller); the
     * module runs in eval mode whenever the block is called with {@code training=false}.
     */
    public static PtSymbolBlock torchScript(Path file, NDManager manager) {
        return JniUtils.loadModule((PtNDManager) manager, file, true, new String[0], new String[0], true);
    }

    /** An empty block of the architecture, for parameters to be loaded into. */
    static Block emptyBlock(Architecture architecture, NDManager manager) {
        if (architecture == Architecture.TORCHSCRIPT) {
            return new PtSymbolBlock((PtNDManager) manager);
        }
        return architecture.newBlock();
    }
}
