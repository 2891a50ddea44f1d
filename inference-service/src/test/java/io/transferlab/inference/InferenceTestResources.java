package io.transferlab.inference;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.transferlab.contracts.Topics;
import io.transferlab.contracts.train.RunSpec;
import io.transferlab.testsupport.KafkaResource;
import io.transferlab.testsupport.TestDataDir;
import io.transferlab.vision.DeviceMode;
import io.transferlab.vision.VisionSettings;
import io.transferlab.vision.store.ModelCard;
import io.transferlab.vision.store.ModelStore;
import io.transferlab.vision.train.TrainingOutcome;
import io.transferlab.vision.train.TransferTrainer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * What the integration tests serve: a model store in a temporary folder with a small CNN trained here on real
 * MNIST digits ({@value #DIGITS} v1, and the same weights as {@value #RELOADING} v1 for the hot-reload test and as
 * {@value #VERSIONED} v1 and v2 for pinned versions and aliases), an
 * empty weights folder (so {@code imagenet-resnet50} reports missing weights) and the topics; {@link TestRequester}
 * plays the gateway.
 */
public class InferenceTestResources implements QuarkusTestResourceLifecycleManager {

    public static final String DIGITS = "digits";
    public static final String RELOADING = "digits-reload";
    /** Two versions (the same weights published twice) for pins and aliases: answers tell them apart by version. */
    public static final String VERSIONED = "digits-versions";
    /** The partitioned requester of {@link TestRequester} wants its replies on this topic and partition. */
    public static final String REPLY_TOPIC = "vision.classify.results.it";
    public static final int REPLY_PARTITION = 2;
    public static final int MAX_IMAGE_SIDE = 512;

    private static VisionSettings settings;
    private static TrainingOutcome trained;

    /** The settings of the temporary model store (tests train and publish new versions into it). */
    public static synchronized VisionSettings settings() {
        return settings;
    }

    public static synchronized TrainingOutcome trained() {
        return trained;
    }

    @Override
    public Map<String, String> start() {
        String bootstrap = KafkaResource.bootstrapServers();
        createTopics(bootstrap);
        VisionSettings s = prepareStore();
        Map<String, String> config = new HashMap<>();
        config.put("transferlab.inference.data-dir", s.dataDir().toString());
        config.put("transferlab.inference.model-store", s.modelStoreDir().toString());
        config.put("transferlab.inference.weights-dir", s.weightsDir().toString());
        config.put("transferlab.inference.device", "cpu");
        config.put("transferlab.inference.max-image-side", String.valueOf(MAX_IMAGE_SIDE));
        config.put("transferlab.inference.batching.max-batch-size", "16");
        config.put("transferlab.inference.batching.max-batch-delay", "20ms");
        config.put("transferlab.inference.batching.workers", "2");
        config.put("transferlab.inference.batching.queue-capacity", "256");
        return config;
    }

    private static synchronized VisionSettings prepareStore() {
        if (settings != null) {
            return settings;
        }
        try {
            Path work = Files.createTempDirectory("inference-it-");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(work), "inference-it-cleanup"));
            Files.createDirectories(work.resolve("weights"));
            VisionSettings s = VisionSettings.builder()
                    .dataDir(TestDataDir.require("mnist"))
                    .weightsDir(work.resolve("weights"))
                    .modelStoreDir(work.resolve("models"))
                    .featureCacheDir(work.resolve("features"))
                    .deviceMode(DeviceMode.CPU)
                    .build();
            TransferTrainer trainer = TransferTrainer.create(s);
            TrainingOutcome outcome = trainer.train("run-it-digits-1", DIGITS, digitsSpec(7L), null, null);
            System.out.printf("trained %s v%d on MNIST: test accuracy %.3f in %d ms%n", DIGITS, outcome.modelVersion(),
                    outcome.metrics().testAccuracy(), outcome.durationMs());
            copy(trainer.store(), outcome.card(), RELOADING, outcome.card().runId());
            // the store publishes a run into a model once: each version needs a run of its own
            copy(trainer.store(), outcome.card(), VERSIONED, "run-it-versions-1");
            copy(trainer.store(), outcome.card(), VERSIONED, "run-it-versions-2");
            settings = s;
            trained = outcome;
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The small CNN of the chapter, on 800 real MNIST digits for 2 epochs: seconds on 2 cores, ~90% right. */
    public static RunSpec digitsSpec(long seed) {
        return RunSpec.builder()
                .dataset("mnist").trainSize(800).testSize(200)
                .backbone("small-cnn").weights("random")
                .denseUnits(64).dropout(0.0)
                .optimizer("rmsprop").learningRate(0.001)
                .epochs(2).batchSize(32).validationSplit(0.1).seed(seed)
                .build();
    }

    /** Publishes the weights of {@code card} as the next version of another model id, as if {@code runId} made it. */
    private static void copy(ModelStore store, ModelCard card, String modelId, String runId) {
        Path weights = store.location(card).resolve(card.weightsFile());
        ModelCard draft = new ModelCard(card.schemaVersion(), modelId, 0, runId, card.spec(),
                card.classNames(), card.imageSize(), card.preprocessing(), card.architecture(), card.metrics(),
                card.lineage(), card.createdAt(), card.libraryVersions(), card.parameterCount(), card.weightsFile(),
                null);
        store.publish(draft, out -> Files.copy(weights, out));
    }

    private static void createTopics(String bootstrap) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            for (NewTopic topic : List.of(
                    new NewTopic(Topics.CLASSIFY_REQUESTS, 4, (short) 1),
                    new NewTopic(Topics.CLASSIFY_RESULTS, 4, (short) 1),
                    new NewTopic(Topics.deadLetter(Topics.CLASSIFY_REQUESTS), 1, (short) 1),
                    new NewTopic(Topics.MODELS, 1, (short) 1),
                    new NewTopic(Topics.deadLetter(Topics.MODELS), 1, (short) 1),
                    // two partitions: the service must read both before it serves unpinned requests
                    new NewTopic(Topics.MODEL_ALIASES, 2, (short) 1).configs(Map.of("cleanup.policy", "compact")),
                    new NewTopic(Topics.deadLetter(Topics.MODEL_ALIASES), 1, (short) 1),
                    new NewTopic(REPLY_TOPIC, 4, (short) 1))) {
                try {
                    admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + topic.name(), e);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the broker did not create the topics in time", e);
        }
    }

    private static void deleteTree(Path dir) {
        try (java.util.stream.Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a temporary folder left behind is harmless
        }
    }

    @Override
    public void stop() {
        // The store and the trained models live for the test JVM: every test class of this configuration shares
        // one application start.
    }
}
