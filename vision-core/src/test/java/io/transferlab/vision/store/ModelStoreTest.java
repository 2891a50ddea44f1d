package io.transferlab.vision.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.transferlab.contracts.Requester;
import io.transferlab.contracts.train.FinalMetrics;
import io.transferlab.contracts.train.RunSpec;
import io.transferlab.vision.ModelOwnedException;
import io.transferlab.vision.UnknownModelException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelStoreTest {

    @TempDir
    Path root;

    private static ModelCard draft(String modelId, String runId) {
        return new ModelCard(ModelCard.SCHEMA_VERSION, modelId, 0, runId,
                RunSpec.builder().dataset("mnist").build().withDefaults(), List.of("a", "b"), 28, "unit",
                "small-cnn", new FinalMetrics(0.1, 0.9, null, null, 0.2, 0.8), "random", Instant.parse(
                        "2026-11-28T10:00:00Z"), Map.of("djl", "0.36.0"), 1234, ModelStore.WEIGHTS_FILE, null);
    }

    @Test
    void publishesNumberedVersionsWithCardsThatRoundTrip() throws IOException {
        ModelStore store = new ModelStore(root);
        ModelCard v1 = store.publish(draft("cats", "r1"), out -> out.writeUTF("weights one"));
        ModelCard v2 = store.publish(draft("cats", "r2"), out -> out.writeUTF("weights two"));
        assertThat(v1.version()).isEqualTo(1);
        assertThat(v2.version()).isEqualTo(2);
        assertThat(v1.weightsSha256()).hasSize(64).isNotEqualTo(v2.weightsSha256());
        assertThat(Files.isRegularFile(root.resolve("cats/v2/model-card.json"))).isTrue();
        assertThat(Files.isRegularFile(root.resolve("cats/v2/weights.params"))).isTrue();
        assertThat(store.latest("cats")).contains(v2);
        assertThat(store.find("cats", 1)).contains(v1);
        assertThat(store.find("cats", 3)).isEmpty();
        assertThat(store.findByRunId("r1")).contains(v1);
        assertThat(store.list()).containsExactly(v1, v2);
        assertThat(store.latest("dogs")).isEmpty();
        assertThat(store.find("../etc", 1)).isEmpty();
    }

    @Test
    void aRunPublishesAtMostOneVersion() throws IOException {
        ModelStore store = new ModelStore(root);
        ModelCard first = store.publish(draft("cats", "r1"), out -> out.writeUTF("weights one"));
        ModelCard again = store.publish(draft("cats", "r1"), out -> out.writeUTF("weights of the re-run"));
        assertThat(again).isEqualTo(first);
        assertThat(store.versions("cats")).containsExactly(first);
        assertThat(store.publish(draft("cats", "r2"), out -> out.writeUTF("two")).version()).isEqualTo(2);
    }

    private static ModelCard owned(String modelId, String runId, String owner) {
        ModelCard d = draft(modelId, runId);
        return new ModelCard(d.schemaVersion(), d.modelId(), 0, d.runId(), d.spec(), d.classNames(), d.imageSize(),
                d.preprocessing(), d.architecture(), d.metrics(), d.lineage(), d.createdAt(), d.libraryVersions(),
                d.parameterCount(), d.weightsFile(), null, owner);
    }

    @Test
    void anotherKeyCannotPublishOverAnOwnedModelButTheOwnerAndAnAdminCan() throws IOException {
        ModelStore store = new ModelStore(root);
        ModelCard v1 = store.publish(owned("cats", "r1", "alice"), out -> out.writeUTF("one"), false);
        assertThat(v1.owner()).isEqualTo("alice");
        assertThat(store.latest("cats").orElseThrow().owner()).as("the card on disk").isEqualTo("alice");

        assertThatThrownBy(() -> store.publish(owned("cats", "r2", "bob"), out -> out.writeUTF("two"), false))
                .isInstanceOf(ModelOwnedException.class)
                .hasMessage("model 'cats' belongs to another key: publish under another model id, or ask a key "
                        + "with the admin role");
        assertThatThrownBy(() -> store.publish(draft("cats", "r3"), out -> out.writeUTF("three")))
                .as("a request without owner").isInstanceOf(ModelOwnedException.class);
        assertThatThrownBy(() -> store.requireMayPublish("cats", new Requester("bob", false)))
                .isInstanceOf(ModelOwnedException.class);
        assertThat(store.versions("cats")).containsExactly(v1);
        assertThat(Files.list(root.resolve("cats")).map(p -> p.getFileName().toString()))
                .as("nothing half-written left behind").containsExactlyInAnyOrder("v1", ".lock");

        assertThat(store.publish(owned("cats", "r4", "alice"), out -> out.writeUTF("four"), false).version())
                .isEqualTo(2);
        ModelCard byAdmin = store.publish(owned("cats", "r5", "root"), out -> out.writeUTF("five"), true);
        assertThat(byAdmin.version()).isEqualTo(3);
        assertThat(byAdmin.owner()).as("an admin's version is the admin's").isEqualTo("root");
        assertThatThrownBy(() -> store.publish(owned("cats", "r6", "alice"), out -> out.writeUTF("six"), false))
                .as("the model now belongs to the admin").isInstanceOf(ModelOwnedException.class);
        store.requireMayPublish("dogs", new Requester("bob", false)); // a new model id is anyone's
    }

    @Test
    void aModelWithoutOwnerTakesAnyPublisherAndThenBelongsToIt() throws IOException {
        ModelStore store = new ModelStore(root);
        store.publish(draft("legacy", "r1"), out -> out.writeUTF("one"));
        assertThat(store.latest("legacy").orElseThrow().owner()).isNull();
        ModelCard v2 = store.publish(owned("legacy", "r2", "bob"), out -> out.writeUTF("two"), false);
        assertThat(v2.owner()).isEqualTo("bob");
        assertThatThrownBy(() -> store.publish(owned("legacy", "r3", "alice"), out -> out.writeUTF("3"), false))
                .isInstanceOf(ModelOwnedException.class);
    }

    @Test
    void aCardWrittenBeforeOwnersReadsWithoutOwner() throws IOException {
        ModelStore store = new ModelStore(root);
        ModelCard v1 = store.publish(owned("old", "r1", "alice"), out -> out.writeUTF("one"));
        Path card = root.resolve("old/v1/model-card.json");
        Files.writeString(card, Files.readString(card).replaceAll(",\\s*\"owner\"\\s*:\\s*\"alice\"", ""));
        assertThat(Files.readString(card)).doesNotContain("owner");
        assertThat(store.latest("old").orElseThrow().owner()).isNull();
        assertThat(v1.version()).isEqualTo(1);
    }

    @Test
    void concurrentPublishersOfDifferentOwnersCannotBothWinANewModelId() throws Exception {
        ModelStore store = new ModelStore(root);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<String>> outcomes = new ArrayList<>();
            for (String owner : List.of("alice", "bob")) {
                outcomes.add(pool.submit(() -> {
                    start.await();
                    try {
                        return store.publish(owned("contested", "r-" + owner, owner), out -> out.writeUTF(owner),
                                false).owner();
                    } catch (ModelOwnedException e) {
                        return "refused";
                    }
                }));
            }
            start.countDown();
            List<String> results = new ArrayList<>();
            for (Future<String> f : outcomes) {
                results.add(f.get());
            }
            assertThat(results).containsOnlyOnce("refused");
            assertThat(store.versions("contested")).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void unknownModelsAreNamedFailures() {
        ModelStore store = new ModelStore(root);
        assertThatThrownBy(() -> store.openClassifier("nope")).isInstanceOf(UnknownModelException.class)
                .hasMessageContaining("nope");
        assertThatThrownBy(() -> store.openClassifier("nope", 2)).isInstanceOf(UnknownModelException.class)
                .hasMessageContaining("version 2");
    }

    @Test
    void concurrentPublishersGetDistinctVersionsAndReadersNeverSeeHalfAModel() throws Exception {
        ModelStore store = new ModelStore(root);
        AtomicBoolean done = new AtomicBoolean();
        List<String> halfSeen = new ArrayList<>();
        Thread reader = new Thread(() -> {
            while (!done.get()) {
                for (ModelCard c : store.versions("shared")) {
                    Path weights = store.location(c).resolve(c.weightsFile());
                    try {
                        if (Files.size(weights) != 2 + 100_000) {
                            halfSeen.add(c.version() + ":" + Files.size(weights));
                        }
                    } catch (IOException e) {
                        halfSeen.add(c.version() + ": " + e);
                    }
                }
            }
        });
        reader.start();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<Integer>> jobs = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String run = "run" + i;
            jobs.add(() -> {
                start.await();
                return store.publish(draft("shared", run), out -> out.write(new byte[100_002])).version();
            });
        }
        List<Future<Integer>> futures = new ArrayList<>();
        for (Callable<Integer> job : jobs) {
            futures.add(pool.submit(job));
        }
        start.countDown();
        List<Integer> versions = new ArrayList<>();
        for (Future<Integer> f : futures) {
            versions.add(f.get());
        }
        pool.shutdown();
        done.set(true);
        reader.join();
        assertThat(versions).containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
        assertThat(halfSeen).isEmpty();
        try (Stream<Path> leftovers = Files.list(root.resolve("shared"))) {
            assertThat(leftovers.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".tmp"))).isEmpty();
        }
    }
}
