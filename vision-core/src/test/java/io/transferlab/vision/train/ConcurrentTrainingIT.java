package io.transferlab.vision.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.transferlab.contracts.train.RunSpec;
import io.transferlab.vision.TestData;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs train on worker threads that did not load the engine, two at a time in one JVM, and each gets exactly what
 * it gets alone: a run depends on its seed only (no process-wide gradient collector, random state or grad mode).
 */
class ConcurrentTrainingIT {

    @TempDir
    Path work;

    @Test
    void twoRunsOnWorkerThreadsAtOnceMatchTheRunAlone() throws Exception {
        TransferTrainer trainer = TransferTrainer.create(TestData.settings(work));
        RunSpec spec = RunSpec.builder().dataset("fashion-mnist").trainSize(400).testSize(200)
                .backbone("small-cnn").weights("random").denseUnits(64).dropout(0.3).optimizer("rmsprop")
                .epochs(2).batchSize(20).augmentFlip(true).seed(21L).build();
        ExecutorService workers = Executors.newFixedThreadPool(2);
        try {
            TrainingOutcome alone = workers.submit(() -> trainer.train("alone", "alone", spec, null, null)).get();
            Future<TrainingOutcome> a = workers.submit(() -> trainer.train("a", "a", spec, null, null));
            Future<TrainingOutcome> b = workers.submit(() -> trainer.train("b", "b", spec, null, null));
            System.out.printf("alone %.4f, concurrently %.4f and %.4f test accuracy%n",
                    alone.metrics().testAccuracy(), a.get().metrics().testAccuracy(), b.get().metrics().testAccuracy());
            for (TrainingOutcome o : new TrainingOutcome[] {a.get(), b.get()}) {
                assertThat(o.metrics()).isEqualTo(alone.metrics());
                assertThat(o.history()).usingRecursiveComparison().ignoringFields("elapsedMs")
                        .isEqualTo(alone.history());
            }
        } finally {
            workers.shutdown();
        }
    }
}
