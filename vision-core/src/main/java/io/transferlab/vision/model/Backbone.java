package io.transferlab.vision.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Wraps a backbone so that its batch norms can run in inference mode (normalising with their running statistics,
 * which stay as they are) while the network trains, and so that freezing and unfreezing never touch those running
 * statistics: they are buffers, updated by the batch-norm operation itself, never by gradients.
 *
 * <p>Who decides the mode: a backbone trained from scratch trains its batch norms; a frozen backbone always runs
 * them in inference mode; a pretrained backbone whose weights train (fine-tuning) does what the run's
 * {@code batchNorm} flag says (inference by default, as Keras advises: the batch statistics of a few small
 * batches would wreck the pretrained moving averages).
 *
 * <p>TorchScript modules need care: DJL runs a TorchScript module without autograd whenever it is called with
 * {@code training=false}, so a fine-tuned module with batch norms in inference mode is switched to eval mode and
 * called with gradients on, here.
 */
public final class Backbone extends AbstractBlock {

    private static final byte VERSION = 1;

    private final Block inner;
    private final Architecture architecture;
    private volatile boolean batchNormInference;

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

    /**
     * Whether the batch norms normalise with their running statistics (true) or with each batch's statistics,
     * updating the running ones (false), when the network is called in training mode. Evaluation always uses the
     * running statistics.
     */
    public void batchNormInference(boolean inference) {
        this.batchNormInference = inference;
    }

    /**
     * Keeps (true) or stops keeping the backbone's parameters fixed during training. Batch-norm running statistics
     * stay without gradient either way (libtorch refuses to differentiate batch norm with respect to them).
     */
    public void freeze(boolean frozen) {
        for (Parameter p : inner.getParameters().values()) {
            p.freeze(frozen || isRunningStatistic(p));
        }
    }

    /** True for batch norm's running mean and variance: state updated by the forward pass, never trained. */
    public static boolean isRunningStatistic(Parameter p) {
        return p.getType() == Parameter.Type.RUNNING_MEAN || p.getType() == Parameter.Type.RUNNING_VAR;
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        boolean trainBatchNorm = training && !batchNormInference;
        if (inner instanceof PtSymbolBlock module) {
            return forwardModule(module, inputs, training, trainBatchNorm);
        }
        return inner.forward(parameterStore, inputs, trainBatchNorm, params);
    }

    private static NDList forwardModule(PtSymbolBlock module, NDList inputs, boolean grad, boolean trainMode) {
        // DJL's own forward ties autograd to the module's mode; here the mode is set on every call (a walk over the
        // submodules, microseconds) so that nothing else that calls the module can leave it in the wrong one
        if (trainMode) {
            JniUtils.enableTrainingMode(module);
        } else {
            JniUtils.enableInferenceMode(module);
        }
        return IValueUtils.forward(module, inputs, grad);
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
