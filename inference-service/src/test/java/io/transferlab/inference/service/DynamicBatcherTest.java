package io.transferlab.inference.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.transferlab.vision.image.DecodedImage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DynamicBatcherTest {

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        Collections.reverse(open);
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    /** Batches wait the whole delay (DJL Serving's semantics), which makes their size predictable in tests. */
    private DynamicBatcher batcher(int maxBatch, Duration delay, int capacity, int workers) {
        return batcher(maxBatch, delay, capacity, workers, false);
    }

    private DynamicBatcher batcher(int maxBatch, Duration delay, int capacity, int workers, boolean adaptive) {
        DynamicBatcher b = new DynamicBatcher(new BatchPolicy(maxBatch, delay, capacity, 64L << 20, workers,
                adaptive), DynamicBatcher.Listener.NONE);
        open.add(b);
        return b;
    }

    private LoadedModel model(ObservedClassifier classifier) {
        open.add(classifier);
        return new LoadedModel(classifier);
    }

    private static DecodedImage digit(long seed) {
        byte[] px = new byte[TestClassifiers.SIDE * TestClassifiers.SIDE];
        new Random(seed).nextBytes(px);
        return DecodedImage.gray(TestClassifiers.SIDE, TestClassifiers.SIDE, px);
    }

    private static List<BatchOutcome> join(List<CompletableFuture<BatchOutcome>> futures) {
        return futures.stream().map(f -> f.orTimeout(30, TimeUnit.SECONDS).join()).toList();
    }

    @Test
    void concurrentImagesForOneModelShareOneForwardPass() {
        DynamicBatcher batcher = batcher(8, Duration.ofSeconds(2), 64, 1);
        ObservedClassifier classifier = ObservedClassifier.of("digits", 1);
        LoadedModel model = model(classifier);
        List<CompletableFuture<BatchOutcome>> futures = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            futures.addAll(batcher.submit(model, List.of(digit(i)), 3, Duration.ZERO));
        }
        List<BatchOutcome> outcomes = join(futures);

        assertThat(classifier.batchSizes).containsExactly(8);
        assertThat(outcomes).allSatisfy(o -> {
            assertThat(o.batchSize()).isEqualTo(8);
            assertThat(o.predictions()).hasSize(3);
            assertThat(o.predictions().get(0).score()).isGreaterThanOrEqualTo(o.predictions().get(2).score());
            // a full batch goes at once: nobody waited for the 2 s delay
            assertThat(o.queuedNanos()).isLessThan(Duration.ofSeconds(1).toNanos());
        });
        assertThat(batcher.depth()).isZero();
    }

    @Test
    void aLoneImageWaitsNoLongerThanTheBatchDelay() {
        DynamicBatcher batcher = batcher(8, Duration.ofMillis(80), 64, 1);
        LoadedModel model = model(ObservedClassifier.of("digits", 1));

        BatchOutcome outcome = join(batcher.submit(model, List.of(digit(1)), 1, Duration.ZERO)).get(0);

        assertThat(outcome.batchSize()).isEqualTo(1);
        assertThat(outcome.queuedNanos()).isBetween(Duration.ofMillis(70).toNanos(), Duration.ofSeconds(5).toNanos());
    }

    @Test
    void withAnAdaptiveDelayALoneImageGoesAtOnce() {
        DynamicBatcher batcher = batcher(8, Duration.ofSeconds(5), 64, 1, true);
        LoadedModel model = model(ObservedClassifier.of("digits", 1));

        BatchOutcome outcome = join(batcher.submit(model, List.of(digit(1)), 1, Duration.ZERO)).get(0);

        assertThat(outcome.batchSize()).isEqualTo(1);
        assertThat(outcome.queuedNanos()).isLessThan(Duration.ofSeconds(2).toNanos());
    }

    @Test
    void withAnAdaptiveDelayAFormingBatchWaitsForRequestsStillOnTheirWay() {
        DynamicBatcher batcher = batcher(8, Duration.ofSeconds(5), 64, 1, true);
        ObservedClassifier classifier = ObservedClassifier.of("digits", 1);
        LoadedModel model = model(classifier);
        DynamicBatcher.Arrival second = batcher.arriving();
        CompletableFuture<BatchOutcome> first = batcher.submit(model, List.of(digit(1)), 1, Duration.ZERO).get(0);
        // the worker holds the first image while the second is "being decoded"
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !first.isDone());

        CompletableFuture<BatchOutcome> late = batcher.submit(model, List.of(digit(2)), 1, Duration.ZERO).get(0);
        second.close();

        assertThat(join(List.of(first, late))).allSatisfy(o -> assertThat(o.batchSize()).isEqualTo(2));
        assertThat(classifier.batchSizes).containsExactly(2);
    }

    @Test
    void noPassIsLargerThanTheMaximumBatchSize() {
        DynamicBatcher batcher = batcher(8, Duration.ofMillis(50), 64, 1);
        ObservedClassifier classifier = ObservedClassifier.of("digits", 1);
        LoadedModel model = model(classifier);
        List<DecodedImage> images = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            images.add(digit(i));
        }

        List<BatchOutcome> outcomes = join(batcher.submit(model, images, 2, Duration.ZERO));

        assertThat(classifier.batchSizes).containsExactly(8, 8, 4);
        assertThat(outcomes).extracting(BatchOutcome::batchSize).containsExactly(8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8,
                8, 8, 8, 8, 4, 4, 4, 4);
        assertThat(outcomes).allSatisfy(o -> assertThat(o.predictions()).hasSize(2));
    }

    @Test
    void eachImageGetsItsOwnTopK() {
        DynamicBatcher batcher = batcher(4, Duration.ofSeconds(2), 64, 1);
        LoadedModel model = model(ObservedClassifier.of("digits", 1));
        List<CompletableFuture<BatchOutcome>> futures = new ArrayList<>();
        for (int k = 1; k <= 4; k++) {
            futures.addAll(batcher.submit(model, List.of(digit(k)), k, Duration.ZERO));
        }
        assertThat(join(futures)).extracting(o -> o.predictions().size()).containsExactly(1, 2, 3, 4);
    }

    @Test
    void aFullQueueAnswersBusyAndTakesImagesAgainOnceTheWorkerCatchesUp() throws Exception {
        DynamicBatcher batcher = batcher(2, Duration.ZERO, 4, 1);
        ObservedClassifier classifier = ObservedClassifier.of("digits", 1).closeGate();
        LoadedModel model = model(classifier);
        List<CompletableFuture<BatchOutcome>> running = batcher.submit(model, List.of(digit(1), digit(2)), 1,
                Duration.ZERO);
        assertThat(classifier.entered.await(30, TimeUnit.SECONDS)).isTrue();
        List<CompletableFuture<BatchOutcome>> queued = batcher.submit(model,
                List.of(digit(3), digit(4), digit(5), digit(6)), 1, Duration.ZERO);
        assertThat(batcher.depth()).isEqualTo(4);

        assertThatThrownBy(() -> batcher.submit(model, List.of(digit(7)), 1, Duration.ZERO))
                .isInstanceOf(BatcherBusyException.class).hasMessageContaining("4 images");
        assertThatThrownBy(() -> batcher.submit(model, List.of(digit(7)), 1, Duration.ofMillis(100)))
                .isInstanceOf(BatcherBusyException.class);
        CompletableFuture<List<CompletableFuture<BatchOutcome>>> waiting = CompletableFuture
                .supplyAsync(() -> batcher.submit(model, List.of(digit(8)), 1, Duration.ofSeconds(30)));

        classifier.open();
        List<BatchOutcome> late = join(waiting.get(30, TimeUnit.SECONDS));
        assertThat(join(running)).hasSize(2);
        assertThat(join(queued)).hasSize(4);
        assertThat(late).hasSize(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> batcher.depth() == 0);
    }

    @Test
    void moreImagesThanTheQueueCanEverHoldAreRefused() {
        DynamicBatcher batcher = batcher(2, Duration.ZERO, 4, 1);
        LoadedModel model = model(ObservedClassifier.of("digits", 1));
        List<DecodedImage> five = List.of(digit(1), digit(2), digit(3), digit(4), digit(5));
        assertThatThrownBy(() -> batcher.submit(model, five, 1, Duration.ofSeconds(5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 4");
    }

    @Test
    void twoVersionsOfAModelNeverShareAForwardPass() {
        DynamicBatcher batcher = batcher(8, Duration.ofMillis(200), 64, 1);
        ObservedClassifier v1 = ObservedClassifier.of("digits", 1);
        ObservedClassifier v2 = ObservedClassifier.of("digits", 2);
        LoadedModel m1 = model(v1);
        LoadedModel m2 = model(v2);
        List<CompletableFuture<BatchOutcome>> futures = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            futures.addAll(batcher.submit(m1, List.of(digit(i)), 1, Duration.ZERO));
            futures.addAll(batcher.submit(m2, List.of(digit(i)), 1, Duration.ZERO));
        }
        assertThat(join(futures)).allSatisfy(o -> assertThat(o.batchSize()).isEqualTo(4));
        assertThat(v1.batchSizes).containsExactly(4);
        assertThat(v2.batchSizes).containsExactly(4);
    }

    @Test
    void aFailedPassFailsOnlyTheImagesThatRodeInIt() throws Exception {
        DynamicBatcher batcher = batcher(8, Duration.ofMillis(20), 64, 1);
        ObservedClassifier broken = ObservedClassifier.of("broken", 1);
        LoadedModel brokenModel = model(broken);
        broken.close();
        LoadedModel healthy = model(ObservedClassifier.of("digits", 1));

        CompletableFuture<BatchOutcome> failed = batcher.submit(brokenModel, List.of(digit(1)), 1, Duration.ZERO)
                .get(0);
        BatchOutcome ok = join(batcher.submit(healthy, List.of(digit(2)), 1, Duration.ZERO)).get(0);

        assertThat(ok.predictions()).hasSize(1);
        assertThatThrownBy(() -> failed.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasRootCauseInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThat(batcher.isRunning()).isTrue();
    }

    @Test
    void everyWorkerRunsAWarmUpTaskOnItsOwnThread() {
        DynamicBatcher batcher = batcher(8, Duration.ZERO, 64, 3);
        Set<String> threads = ConcurrentHashMap.newKeySet();
        batcher.runOnEveryWorker(() -> threads.add(Thread.currentThread().getName()), Duration.ofSeconds(30));
        assertThat(threads).containsExactlyInAnyOrder("inference-worker-0", "inference-worker-1",
                "inference-worker-2");
    }

    @Test
    void closingFinishesWhatIsQueuedThenRefusesNewImages() {
        DynamicBatcher batcher = batcher(2, Duration.ofMillis(10), 64, 1);
        LoadedModel model = model(ObservedClassifier.of("digits", 1));
        List<CompletableFuture<BatchOutcome>> queued = batcher.submit(model,
                List.of(digit(1), digit(2), digit(3), digit(4), digit(5)), 1, Duration.ZERO);

        batcher.close(Duration.ofSeconds(30));

        assertThat(join(queued)).hasSize(5);
        assertThat(batcher.isRunning()).isFalse();
        assertThatThrownBy(() -> batcher.submit(model, List.of(digit(6)), 1, Duration.ZERO))
                .isInstanceOf(BatcherBusyException.class).hasMessageContaining("shutting down");
    }

    @Test
    void decodeReservationsShareTheByteBudgetAndRefuseABurst() {
        DynamicBatcher b = batcher(4, Duration.ZERO, 16, 1);
        DynamicBatcher.Reservation first = b.reserve(48L << 20, Duration.ZERO);
        assertThatThrownBy(() -> b.reserve(32L << 20, Duration.ZERO)).isInstanceOf(BatcherBusyException.class)
                .hasMessageContaining("image budget");
        first.close();
        first.close(); // twice is harmless
        assertThat(b.reservedBytes()).isZero();
        try (DynamicBatcher.Reservation again = b.reserve(32L << 20, Duration.ZERO)) {
            assertThat(b.reservedBytes()).isEqualTo(32L << 20);
        }
        // alone, a reservation larger than the whole budget is granted: one large image must be able to pass
        try (DynamicBatcher.Reservation big = b.reserve(100L << 20, Duration.ZERO)) {
            assertThat(big.size()).isEqualTo(100L << 20);
        }
    }
}
