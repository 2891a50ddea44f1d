package io.transferlab.vision.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import io.transferlab.vision.data.BatchSource;
import java.util.Arrays;

/** Runs a block in inference mode over a batch source and measures loss and accuracy. */
public final class Evaluator {

    private Evaluator() {
    }

    /**
     * Evaluates {@code block} on the images at {@code positions}, calling {@code betweenBatches} before each batch
     * (a training run's cancellation check: a cancel must not wait for the evaluation of thousands of images).
     */
    public static Evaluation evaluate(Block block, BatchSource source, int[] positions, int batchSize,
            NDManager manager, Runnable betweenBatches) {
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            ParameterStore store = new ParameterStore(manager, false);
            int[] predicted = new int[positions.length];
            int[] actual = source.labels(positions);
            double lossSum = 0;
            int correct = 0;
            for (int start = 0; start < positions.length; start += batchSize) {
                betweenBatches.run();
                int[] batch = Arrays.copyOfRange(positions, start, Math.min(positions.length, start + batchSize));
                try (NDManager scope = manager.newSubManager()) {
                    NDArray x = source.inputs(scope, batch, false);
                    NDArray logits = block.forward(store, new NDList(x), false).singletonOrThrow();
                    NDArray labels = scope.create(Arrays.copyOfRange(actual, start, start + batch.length));
                    lossSum += Losses.crossEntropy(logits, labels).sum().getFloat();
                    long[] argMax = logits.argMax(1).toLongArray();
                    for (int i = 0; i < batch.length; i++) {
                        predicted[start + i] = (int) argMax[i];
                        if (predicted[start + i] == actual[start + i]) {
                            correct++;
                        }
                    }
                }
            }
            int n = Math.max(positions.length, 1);
            return new Evaluation(lossSum / n, (double) correct / n, predicted, actual);
        } finally {
            JniUtils.setGradMode(grad);
        }
    }
}
