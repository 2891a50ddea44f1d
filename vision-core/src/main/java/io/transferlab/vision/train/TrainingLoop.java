package io.transferlab.vision.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import io.transferlab.vision.data.BatchSource;
import io.transferlab.vision.eval.Losses;
import java.util.Arrays;

/**
 * One epoch of mini-batch training, EasyTrain-style: per batch a sub-manager, forward, loss, backward, optimizer
 * step. Gradients are computed with thread-local grad mode rather than DJL's GradientCollector, which allows
 * only one collector per process and so would serialise every training in a JVM.
 */
final class TrainingLoop {

    private final Block block;
    private final KerasOptimizer optimizer;
    private final NDManager manager;
    private final ParameterStore parameterStore;

    TrainingLoop(Block block, KerasOptimizer optimizer, NDManager manager) {
        this.block = block;
        this.optimizer = optimizer;
        this.manager = manager;
        this.parameterStore = new ParameterStore(manager, false);
    }

    EpochResult epoch(BatchSource source, int[] order, int batchSize, CancellationToken cancel) {
        long start = System.nanoTime();
        double lossSum = 0;
        long correct = 0;
        boolean grad = JniUtils.isGradMode();
        try {
            for (int from = 0; from < order.length; from += batchSize) {
                cancel.throwIfCancelled();
                int[] positions = Arrays.copyOfRange(order, from, Math.min(order.length, from + batchSize));
                int[] labels = source.labels(positions);
                try (NDManager scope = manager.newSubManager()) {
                    NDArray x = source.inputs(scope, positions, true);
                    NDArray y = scope.create(labels);
                    JniUtils.setGradMode(true);
                    NDArray logits = block.forward(parameterStore, new NDList(x), true).singletonOrThrow();
                    NDArray loss = Losses.crossEntropy(logits, y).mean();
                    JniUtils.backward((PtNDArray) loss, (PtNDArray) scope.ones(loss.getShape()), false, false);
                    JniUtils.setGradMode(false);
                    optimizer.step();
                    lossSum += loss.getFloat() * positions.length;
                    long[] predicted = logits.argMax(1).toLongArray();
                    for (int i = 0; i < positions.length; i++) {
                        if (predicted[i] == labels[i]) {
                            correct++;
                        }
                    }
                }
            }
        } finally {
            JniUtils.setGradMode(grad);
        }
        int n = Math.max(order.length, 1);
        return new EpochResult(lossSum / n, (double) correct / n, order.length, System.nanoTime() - start);
    }
}
