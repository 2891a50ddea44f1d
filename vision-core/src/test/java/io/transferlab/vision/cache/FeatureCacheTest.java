package io.transferlab.vision.cache;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureCacheTest {

    private static final Shape SHAPE = new Shape(2, 3, 3); // 18 floats = 72 bytes per image

    @TempDir
    Path dir;

    /** Image i's features are i*100 + j. */
    private static FeatureCache.Producer producer(int count, AtomicInteger calls) {
        return sink -> {
            calls.incrementAndGet();
            for (int i = 0; i < count; i++) {
                ByteBuffer b = ByteBuffer.allocate(72).order(ByteOrder.nativeOrder());
                for (int j = 0; j < 18; j++) {
                    b.putFloat(i * 100 + j);
                }
                b.flip();
                sink.append(b);
            }
        };
    }

    private static FeatureKey key(String images) {
        return new FeatureKey("random:small-cnn:1", "unit", 28, images);
    }

    @Test
    void computesOnceThenServesBatchesFromDisk() {
        FeatureCache cache = new FeatureCache(dir, 1 << 20);
        AtomicInteger calls = new AtomicInteger();
        int[] labels = {0, 1, 0, 1};
        try (FeatureSet a = cache.open(key("x"), 4, SHAPE, labels, producer(4, calls));
                FeatureSet b = cache.open(key("x"), 4, SHAPE, labels, producer(4, calls));
                NDManager m = NDManager.newBaseManager(Device.cpu())) {
            assertThat(calls).hasValue(1);
            float[] batch = b.inputs(m, new int[] {3, 1}, true).toFloatArray();
            assertThat(batch).hasSize(36);
            assertThat(batch[0]).isEqualTo(300f);
            assertThat(batch[17]).isEqualTo(317f);
            assertThat(batch[18]).isEqualTo(100f);
            assertThat(b.inputs(m, new int[] {0}, false).getShape()).isEqualTo(new Shape(1, 2, 3, 3));
            assertThat(a.label(1)).isEqualTo(1);
        }
        assertThat(cache.sizeOnDisk()).isEqualTo(64 + 4 * 72);
    }

    @Test
    void evictsLeastRecentlyUsedEntriesBeyondTheBound() throws Exception {
        long entry = 64 + 4 * 72;
        AtomicLong clock = new AtomicLong(1_700_000_000_000L);
        FeatureCache cache = new FeatureCache(dir, 2 * entry + 10, () -> clock.addAndGet(2000));
        AtomicInteger calls = new AtomicInteger();
        int[] labels = {0, 0, 0, 0};
        cache.open(key("a"), 4, SHAPE, labels, producer(4, calls)).close();
        cache.open(key("b"), 4, SHAPE, labels, producer(4, calls)).close();
        cache.open(key("a"), 4, SHAPE, labels, producer(4, calls)).close(); // a is now more recent than b
        cache.open(key("c"), 4, SHAPE, labels, producer(4, calls)).close();
        assertThat(calls).hasValue(3);
        assertThat(cache.sizeOnDisk()).isEqualTo(2 * entry);
        assertThat(cache.contains(key("a"))).isTrue();
        assertThat(cache.contains(key("b"))).isFalse();
        assertThat(cache.contains(key("c"))).isTrue();
    }

    @Test
    void anEntryLargerThanTheBoundIsServedButNotKept() {
        FeatureCache cache = new FeatureCache(dir, 100);
        AtomicInteger calls = new AtomicInteger();
        try (FeatureSet set = cache.open(key("big"), 4, SHAPE, new int[4], producer(4, calls));
                NDManager m = NDManager.newBaseManager(Device.cpu())) {
            assertThat(set.inputs(m, new int[] {2}, false).toFloatArray()[0]).isEqualTo(200f);
            assertThat(cache.sizeOnDisk()).isZero();
        }
        assertThat(cache.contains(key("big"))).isFalse();
    }

    @Test
    void concurrentTrialsShareOneComputation() throws Exception {
        FeatureCache cache = new FeatureCache(dir, 1 << 20);
        AtomicInteger calls = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Float>> results = new ArrayList<>();
        for (int t = 0; t < 6; t++) {
            results.add(pool.submit(() -> {
                start.await();
                try (FeatureSet set = cache.open(key("shared"), 50, SHAPE, new int[50], producer(50, calls));
                        NDManager m = NDManager.newBaseManager(Device.cpu())) {
                    return set.inputs(m, new int[] {49}, false).toFloatArray()[1];
                }
            }));
        }
        start.countDown();
        for (Future<Float> f : results) {
            assertThat(f.get()).isEqualTo(4901f);
        }
        pool.shutdown();
        assertThat(calls).hasValue(1);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).allMatch(n -> n.endsWith(".features"));
        }
    }

    @Test
    void aFailingProducerLeavesNoEntry() {
        FeatureCache cache = new FeatureCache(dir, 1 << 20);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> cache.open(key("bad"), 4, SHAPE, new int[4],
                sink -> sink.append(ByteBuffer.allocate(8)))).hasMessageContaining("expected 288");
        assertThat(cache.contains(key("bad"))).isFalse();
        assertThat(cache.sizeOnDisk()).isZero();
    }
}
