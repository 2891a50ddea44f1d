package io.transferlab.vision.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import io.transferlab.vision.Engines;
import io.transferlab.vision.data.BatchSource;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EvaluatorTest {

    /** Ten inputs of 4 features; labels 0, 1, 2, 0, 1, ... */
    private static final class CountingSource implements BatchSource {
        final AtomicInteger batchesRead = new AtomicInteger();

        @Override
        public int size() {
            return 10;
        }

        @Override
        public int label(int position) {
            return position % 3;
        }

        @Override
        public NDArray inputs(NDManager manager, int[] positions, boolean training) {
            batchesRead.incrementAndGet();
            return manager.ones(new Shape(positions.length, 4));
        }
    }

    private static Block linear(NDManager manager) {
        Block block = Linear.builder().setUnits(3).build();
        block.initialize(manager, DataType.FLOAT32, new Shape(1, 4));
        return block;
    }

    @Test
    void checksBeforeEveryBatchAndEvaluatesEveryPosition() {
        Engines.pytorch();
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            CountingSource source = new CountingSource();
            AtomicInteger checks = new AtomicInteger();
            Evaluation e = Evaluator.evaluate(linear(manager), source, new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, 4,
                    manager, checks::incrementAndGet);
            assertThat(checks).hasValue(3);
            assertThat(source.batchesRead).hasValue(3);
            assertThat(e.actual()).containsExactly(0, 1, 2, 0, 1, 2, 0, 1, 2, 0);
            assertThat(e.predicted()).hasSize(10);
        }
    }

    @Test
    void aFailingCheckStopsTheEvaluationBeforeTheNextBatch() {
        Engines.pytorch();
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            CountingSource source = new CountingSource();
            AtomicInteger checks = new AtomicInteger();
            assertThatThrownBy(() -> Evaluator.evaluate(linear(manager), source, new int[] {0, 1, 2, 3, 4, 5, 6, 7},
                    2, manager, () -> {
                        if (checks.incrementAndGet() == 3) {
                            throw new IllegalStateException("cancelled");
                        }
                    })).hasMessage("cancelled");
            assertThat(source.batchesRead).as("two batches read, the third never started").hasValue(2);
        }
    }
}
