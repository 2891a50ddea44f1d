package io.transferlab.inference.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.transferlab.vision.Classifier;
import io.transferlab.vision.UnknownModelException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ModelCacheTest {

    /** Real small classifiers under chosen ids, versions and sizes; counts every load. */
    static final class Models implements ModelSource {
        final Map<String, Integer> newest = new ConcurrentHashMap<>();
        final Map<String, Long> bytes = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> opens = new ConcurrentHashMap<>();
        final List<ObservedClassifier> opened = new CopyOnWriteArrayList<>();
        volatile CountDownLatch slowLoads = new CountDownLatch(0);

        Models with(String id, int version, long parameterBytes) {
            newest.put(id, version);
            bytes.put(id, parameterBytes);
            return this;
        }

        @Override
        public Classifier open(String modelId) {
            Integer v = newest.get(modelId);
            if (v == null) {
                throw new UnknownModelException("model '" + modelId + "' is not in the model store");
            }
            return open(modelId, v);
        }

        @Override
        public Classifier open(String modelId, int version) {
            Integer newestVersion = newest.get(modelId);
            if (newestVersion == null || version > newestVersion) {
                throw new UnknownModelException("model '" + modelId + "' has no version " + version);
            }
            opens.computeIfAbsent(modelId, k -> new AtomicInteger()).incrementAndGet();
            try {
                slowLoads.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ObservedClassifier c = ObservedClassifier.of(modelId, version, bytes.getOrDefault(modelId, 100L));
            opened.add(c);
            return c;
        }

        @Override
        public Optional<ModelDescription> describe(String modelId) {
            return Optional.empty();
        }

        /** Loads of one version. */
        long opens(String id, int version) {
            return opened.stream().filter(c -> c.modelId().equals(id) && c.version() == version).count();
        }

        int opens(String id) {
            AtomicInteger n = opens.get(id);
            return n == null ? 0 : n.get();
        }

        ObservedClassifier opened(String id, int version) {
            return opened.stream().filter(c -> c.modelId().equals(id) && c.version() == version).reduce((a, b) -> b)
                    .orElseThrow();
        }
    }

    /** Counts what the cache reports. */
    static final class Events implements ModelCache.Listener {
        final AtomicInteger hits = new AtomicInteger();
        final AtomicInteger misses = new AtomicInteger();
        final List<String> evicted = new CopyOnWriteArrayList<>();
        final List<String> reloaded = new CopyOnWriteArrayList<>();

        @Override
        public void hit(String modelId) {
            hits.incrementAndGet();
        }

        @Override
        public void miss(String modelId) {
            misses.incrementAndGet();
        }

        @Override
        public void evicted(String modelId, int version) {
            evicted.add(modelId + " v" + version);
        }

        @Override
        public void reloaded(String modelId, int fromVersion, int toVersion) {
            reloaded.add(modelId + " v" + fromVersion + "->v" + toVersion);
        }
    }

    private final Models models = new Models();
    private final Events events = new Events();
    private final List<String> warmedUp = new CopyOnWriteArrayList<>();
    private ModelCache cache;

    private ModelCache cache(int maxModels, long maxBytes) {
        cache = new ModelCache(models, new ModelCache.Limits(maxModels, maxBytes),
                c -> warmedUp.add(c.modelId() + " v" + c.version()), events);
        return cache;
    }

    @AfterEach
    void close() {
        if (cache != null) {
            cache.close();
        }
        models.opened.forEach(ObservedClassifier::close);
    }

    @Test
    void loadsAModelOnFirstUseWarmsItUpAndServesItFromMemoryAfterwards() {
        models.with("digits", 1, 100);
        ModelCache cache = cache(4, 1000);

        try (ModelLease first = cache.acquire("digits"); ModelLease second = cache.acquire("digits")) {
            assertThat(first.model()).isSameAs(second.model());
            assertThat(first.version()).isEqualTo(1);
        }
        assertThat(models.opens("digits")).isEqualTo(1);
        assertThat(warmedUp).containsExactly("digits v1");
        assertThat(events.misses).hasValue(1);
        assertThat(events.hits).hasValue(1);
        assertThat(cache.isResident("digits")).isTrue();
    }

    @Test
    void concurrentFirstUsesWaitForOneLoad() throws Exception {
        models.with("digits", 1, 100);
        models.slowLoads = new CountDownLatch(1);
        ModelCache cache = cache(4, 1000);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<ModelLease>> leases = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                leases.add(pool.submit(() -> cache.acquire("digits")));
            }
            models.slowLoads.countDown();
            for (Future<ModelLease> f : leases) {
                f.get(30, TimeUnit.SECONDS).close();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(models.opens("digits")).isEqualTo(1);
    }

    @Test
    void evictsTheLeastRecentlyUsedModelBeyondTheModelCount() {
        models.with("a", 1, 100).with("b", 1, 100).with("c", 1, 100);
        ModelCache cache = cache(2, 10_000);
        cache.acquire("a").close();
        cache.acquire("b").close();
        cache.acquire("a").close();

        cache.acquire("c").close();

        assertThat(cache.residents()).extracting(ModelCache.Resident::modelId).containsExactly("a", "c");
        assertThat(events.evicted).containsExactly("b v1");
        assertThat(models.opened("b", 1).closed).isTrue();
        assertThat(models.opened("a", 1).closed).isFalse();
    }

    @Test
    void evictsByParameterMemory() {
        models.with("a", 1, 400).with("b", 1, 400).with("c", 1, 400);
        ModelCache cache = cache(10, 1000);
        cache.acquire("a").close();
        cache.acquire("b").close();
        assertThat(cache.residentBytes()).isEqualTo(800);

        cache.acquire("c").close();

        assertThat(cache.residents()).extracting(ModelCache.Resident::modelId).containsExactly("b", "c");
        assertThat(cache.residentBytes()).isEqualTo(800);
        assertThat(events.evicted).containsExactly("a v1");
    }

    @Test
    void aModelLargerThanTheWholeBudgetIsStillServedAlone() {
        models.with("small", 1, 100).with("huge", 1, 5000);
        ModelCache cache = cache(4, 1000);
        cache.acquire("small").close();

        try (ModelLease lease = cache.acquire("huge")) {
            assertThat(lease.modelId()).isEqualTo("huge");
        }
        assertThat(cache.residents()).extracting(ModelCache.Resident::modelId).containsExactly("huge");
    }

    @Test
    void anEvictedModelClosesOnlyWhenItsLastRequestIsDone() {
        models.with("a", 1, 100).with("b", 1, 100);
        ModelCache cache = cache(1, 10_000);
        ModelLease inFlight = cache.acquire("a");

        cache.acquire("b").close();

        ObservedClassifier a = models.opened("a", 1);
        assertThat(cache.isResident("a")).isFalse();
        assertThat(a.closed).isFalse();
        assertThat(inFlight.model().isClosed()).isFalse();
        inFlight.close();
        assertThat(a.closed).isTrue();
    }

    @Test
    void reloadSwapsInTheNewVersionWhileRequestsOnTheOldOneFinish() {
        models.with("digits", 1, 100);
        ModelCache cache = cache(4, 1000);
        ModelLease onV1 = cache.acquire("digits");
        models.with("digits", 2, 100);

        assertThat(cache.reload("digits", 2)).isTrue();

        try (ModelLease next = cache.acquire("digits")) {
            assertThat(next.version()).isEqualTo(2);
        }
        assertThat(onV1.version()).isEqualTo(1);
        assertThat(models.opened("digits", 1).closed).isFalse();
        onV1.close();
        assertThat(models.opened("digits", 1).closed).isTrue();
        assertThat(models.opened("digits", 2).closed).isFalse();
        assertThat(events.reloaded).containsExactly("digits v1->v2");
        assertThat(warmedUp).containsExactly("digits v1", "digits v2");
    }

    @Test
    void reloadLeavesModelsThatAreNotLoadedOrAlreadyCurrentAlone() {
        models.with("digits", 3, 100).with("other", 1, 100);
        ModelCache cache = cache(4, 1000);
        cache.acquire("digits").close();

        assertThat(cache.reload("other", 2)).isFalse();
        assertThat(cache.reload("digits", 3)).isFalse();
        assertThat(cache.reload("digits", 2)).isFalse();

        assertThat(models.opens("other")).isZero();
        assertThat(models.opens("digits")).isEqualTo(1);
    }

    @Test
    void anUnknownModelFailsEveryCallAndIsNotRemembered() {
        ModelCache cache = cache(4, 1000);
        assertThatThrownBy(() -> cache.acquire("nope")).isInstanceOf(UnknownModelException.class)
                .hasMessageContaining("nope");
        models.with("nope", 1, 100);
        try (ModelLease lease = cache.acquire("nope")) {
            assertThat(lease.version()).isEqualTo(1);
        }
    }

    @Test
    void closingRetiresEveryModel() {
        models.with("a", 1, 100);
        ModelCache cache = cache(4, 1000);
        ModelLease held = cache.acquire("a");

        cache.close();

        assertThatThrownBy(() -> cache.acquire("a")).isInstanceOf(IllegalStateException.class);
        assertThat(models.opened("a", 1).closed).isFalse();
        held.close();
        assertThat(models.opened("a", 1).closed).isTrue();
    }

    @Test
    void aPinnedVersionIsLoadedBesideTheNewestAndEachServesItsOwnRequests() {
        models.with("digits", 2, 100);
        ModelCache cache = cache(4, 1000);

        try (ModelLease newest = cache.acquire("digits"); ModelLease pinned = cache.acquire("digits", 1)) {
            assertThat(newest.version()).isEqualTo(2);
            assertThat(pinned.version()).isEqualTo(1);
        }
        try (ModelLease pinnedNewest = cache.acquire("digits", 2); ModelLease newest = cache.acquire("digits")) {
            assertThat(pinnedNewest.model()).as("the newest asked for by number is the same entry")
                    .isSameAs(newest.model());
        }
        assertThat(models.opens("digits", 1)).isEqualTo(1);
        assertThat(models.opens("digits", 2)).isEqualTo(1);
        assertThat(cache.residents()).extracting(r -> r.modelId() + " v" + r.version())
                .containsExactlyInAnyOrder("digits v1", "digits v2");
    }

    @Test
    void anUnknownVersionFailsAndLeavesTheResidentVersionsAlone() {
        models.with("digits", 2, 100);
        ModelCache cache = cache(4, 1000);
        cache.acquire("digits").close();

        assertThatThrownBy(() -> cache.acquire("digits", 7)).isInstanceOf(UnknownModelException.class)
                .hasMessageContaining("no version 7");
        assertThat(cache.residents()).extracting(ModelCache.Resident::version).containsExactly(2);
    }

    @Test
    void aNewerVersionReplacesTheNewestButKeepsAVersionThatWasAskedForByNumber() {
        models.with("digits", 1, 100);
        ModelCache cache = cache(4, 1000);
        cache.acquire("digits").close();
        cache.acquire("digits", 1).close(); // pinned (or named by an alias): it must stay for those requests
        models.with("digits", 2, 100);

        assertThat(cache.reload("digits", 2)).isTrue();

        try (ModelLease newest = cache.acquire("digits"); ModelLease pinned = cache.acquire("digits", 1)) {
            assertThat(newest.version()).isEqualTo(2);
            assertThat(pinned.version()).isEqualTo(1);
        }
        assertThat(models.opens("digits", 1)).as("version 1 was not loaded again").isEqualTo(1);
        assertThat(models.opened("digits", 1).closed).isFalse();
        assertThat(events.reloaded).containsExactly("digits v1->v2");
    }

    @Test
    void anAnnouncedVersionThatIsAlreadyLoadedByNumberBecomesTheNewestWithoutASecondLoad() {
        models.with("digits", 2, 100);
        ModelCache cache = cache(4, 1000);
        models.with("digits", 1, 100);
        cache.acquire("digits").close();
        models.with("digits", 2, 100);
        cache.acquire("digits", 2).close();

        assertThat(cache.reload("digits", 2)).isTrue();

        try (ModelLease newest = cache.acquire("digits")) {
            assertThat(newest.version()).isEqualTo(2);
        }
        assertThat(models.opens("digits", 2)).isEqualTo(1);
        assertThat(models.opened("digits", 1).closed).as("version 1 served only unpinned requests").isTrue();
    }

    @Test
    void theBoundsCountVersionsNotModels() {
        models.with("digits", 3, 100);
        ModelCache cache = cache(2, 10_000);
        cache.acquire("digits", 1).close();
        cache.acquire("digits", 2).close();
        cache.acquire("digits", 3).close();

        assertThat(cache.residents()).extracting(ModelCache.Resident::version).containsExactly(2, 3);
        assertThat(events.evicted).containsExactly("digits v1");
        assertThat(models.opened("digits", 1).closed).isTrue();
    }
}
