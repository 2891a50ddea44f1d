package io.transferlab.vision.train;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import io.transferlab.contracts.train.EpochMetrics;
import io.transferlab.contracts.train.RunSpec;
import io.transferlab.contracts.train.TrainStage;
import io.transferlab.vision.data.BatchSource;
import io.transferlab.vision.eval.Evaluation;
import io.transferlab.vision.eval.Evaluator;
import io.transferlab.vision.model.HeadBlock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the epochs of a run's stages: per epoch a seeded shuffle, reseeded dropout, one pass of the training loop,
 * validation, the listener, early stopping. Keeps the run's history across stages (epochs count on).
 */
final class StageTrainer {

    private static final Logger LOG = LoggerFactory.getLogger(StageTrainer.class);

    /** Parameters trained at one learning rate. */
    record ParameterGroup(List<Parameter> parameters, double learningRate) {
    }

    private final String runId;
    private final RunSpec spec;
    private final long seed;
    private final TrainingListener listener;
    private final CancellationToken cancel;
    private final int evalBatchSize;
    private final int totalEpochs;
    private final List<EpochMetrics> history = new ArrayList<>();
    private long trainedImages;
    private long trainingNanos;

    StageTrainer(String runId, RunSpec spec, TrainingListener listener, CancellationToken cancel, int evalBatchSize) {
        this.runId = runId;
        this.spec = spec;
        this.seed = spec.seed();
        this.listener = listener;
        this.cancel = cancel;
        this.evalBatchSize = evalBatchSize;
        this.totalEpochs = spec.epochs() + spec.fineTuneEpochs();
    }

    /**
     * Trains {@code block} (a whole network, or a head on features) for up to {@code epochs} epochs on the
     * training positions of {@code source}; returns the last validation (null without validation images).
     */
    Evaluation stage(TrainStage stage, Block block, List<ParameterGroup> groups, BatchSource source,
            PreparedData data, int epochs, NDManager manager) {
        listener.onStage(stage, epochs);
        try (KerasOptimizer optimizer = new KerasOptimizer(OptimizerKind.parse(spec.optimizer()), spec.momentum())) {
            for (ParameterGroup g : groups) {
                optimizer.group(g.parameters(), g.learningRate());
            }
            TrainingLoop loop = new TrainingLoop(block, optimizer, manager);
            int[] validationPositions = data.validationPositions();
            double best = Double.POSITIVE_INFINITY;
            int sinceBest = 0;
            Evaluation validation = null;
            for (int e = 0; e < epochs; e++) {
                cancel.throwIfCancelled();
                int epoch = history.size() + 1;
                long start = System.nanoTime();
                int[] order = shuffled(data.trainPositions(), Seeds.derive(seed, "shuffle", epoch));
                reseedDropout(block, Seeds.derive(seed, "dropout", epoch));
                EpochResult result = loop.epoch(source, order, spec.batchSize(), cancel);
                trainedImages += result.images();
                trainingNanos += result.elapsedNanos();
                validation = validationPositions.length == 0 ? null
                        : Evaluator.evaluate(block, source, validationPositions, evalBatchSize, manager,
                                cancel::throwIfCancelled);
                EpochMetrics metrics = new EpochMetrics(epoch, stage, result.loss(), result.accuracy(),
                        validation == null ? null : validation.loss(),
                        validation == null ? null : validation.accuracy(), (System.nanoTime() - start) / 1_000_000);
                history.add(metrics);
                LOG.info("run {}: epoch {}/{} ({}) loss {} acc {} val_loss {} val_acc {} ({} img/s)", runId, epoch,
                        totalEpochs, stage, fmt(result.loss()), fmt(result.accuracy()), fmt(metrics.valLoss()),
                        fmt(metrics.valAccuracy()), Math.round(result.imagesPerSecond()));
                listener.onEpoch(metrics, totalEpochs, result.imagesPerSecond());
                double monitored = validation != null ? validation.loss() : result.loss();
                if (monitored < best) {
                    best = monitored;
                    sinceBest = 0;
                } else if (spec.earlyStoppingPatience() > 0 && ++sinceBest >= spec.earlyStoppingPatience()) {
                    LOG.info("run {}: early stopping after epoch {}: no improvement for {} epochs", runId, epoch,
                            spec.earlyStoppingPatience());
                    break;
                }
            }
            return validation;
        }
    }

    List<EpochMetrics> history() {
        return List.copyOf(history);
    }

    /** Training images per second over every epoch so far. */
    double imagesPerSecond() {
        return trainingNanos == 0 ? 0 : trainedImages / (trainingNanos / 1e9);
    }

    private static void reseedDropout(Block block, long seed) {
        if (block instanceof HeadBlock head) {
            head.reseed(seed);
            return;
        }
        for (Block child : block.getChildren().values()) {
            if (child instanceof HeadBlock head) {
                head.reseed(seed);
            }
        }
    }

    static int[] shuffled(int[] positions, long seed) {
        int[] order = Arrays.copyOf(positions, positions.length);
        Random random = new Random(seed);
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    static String fmt(Double d) {
        return d == null ? "-" : String.format(Locale.ROOT, "%.4f", d);
    }
}
