package io.transferlab.trainer;

import static io.transferlab.trainer.TrainTopics.awaitResult;
import static io.transferlab.trainer.TrainTopics.companion;
import static io.transferlab.trainer.TrainTopics.mnist;
import static io.transferlab.trainer.TrainTopics.newRunId;
import static io.transferlab.trainer.TrainTopics.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.transferlab.contracts.ErrorCode;
import io.transferlab.contracts.json.Json;
import io.transferlab.contracts.train.RunSpec;
import io.transferlab.contracts.train.RunStatus;
import io.transferlab.contracts.train.TrainRequest;
import io.transferlab.contracts.train.TrainResult;
import io.transferlab.testsupport.KafkaResource;
import io.transferlab.testsupport.LoopbackServer;
import io.transferlab.testsupport.QuarkusProcess;
import io.transferlab.testsupport.torchvision.TorchCheckpointWriter;
import io.transferlab.testsupport.torchvision.TorchvisionResNet18;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code "weights": "imagenet"} as a user sends it, with no file installed: the packaged trainer runs as a separate
 * process configured only through the environment, as deployed ({@code TRANSFERLAB_MIRROR_URL} pointing at a
 * loopback server that serves a checkpoint in PyTorch's format with torchvision's ResNet-18 names and shapes,
 * random values). The first run fetches and verifies it, the second finds it in the weights directory; with
 * {@code TRANSFERLAB_OFFLINE=true} and nothing installed the run fails with MISSING_WEIGHTS naming the file, the
 * URL and the setting to change.
 * <p>
 * No {@code @QuarkusTest}: the replica reads a topic of its own in a group of its own, so that a trainer running in
 * this JVM for other test classes cannot take the requests.
 */
class ImageNetWeightsOnFirstUseIT {

    @TempDir
    Path work;

    private final List<QuarkusProcess> replicas = new ArrayList<>();

    @AfterEach
    void stopReplicas() {
        replicas.forEach(QuarkusProcess::close);
    }

    @Test
    void imagenetWeightsAreFetchedOnFirstUseThenServedFromTheCache() throws Exception {
        byte[] checkpoint = new TorchCheckpointWriter().random(TorchvisionResNet18.shapes(), 18).toBytes();
        // torchvision names its files <arch>-<first 8 hex digits of the SHA-256>.pth; the fetcher verifies that
        String file = "resnet18-" + LoopbackServer.sha256(checkpoint).substring(0, 8) + ".pth";
        Path weights = Files.createDirectories(work.resolve("weights"));
        try (LoopbackServer mirror = new LoopbackServer().serve("/mirror/" + file, checkpoint)) {
            String topic = topic("it-fetch-requests");
            startReplica("it-fetch", topic, weights, Map.of(
                    "TRANSFERLAB_OFFLINE", "false",
                    "TRANSFERLAB_MIRROR_URL", mirror.url("/mirror/"),
                    "TRANSFERLAB_IMAGENET_CHECKPOINTS", "resnet18=" + file));

            TrainResult first = train(topic, "fetch-1");
            assertThat(first.status()).as("error: %s", first.error()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(mirror.requests("/mirror/" + file)).isEqualTo(1);
            assertThat(weights.resolve("torchvision").resolve(file)).hasBinaryContent(checkpoint);

            TrainResult second = train(topic, "fetch-2");
            assertThat(second.status()).as("error: %s", second.error()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(mirror.requests("/mirror/" + file)).as("the second run reads the cached file").isEqualTo(1);
        }
    }

    @Test
    void offlineWithNothingInstalledFailsNamingTheFileTheUrlAndTheSetting() throws Exception {
        String topic = topic("it-offline-requests");
        startReplica("it-offline", topic, Files.createDirectories(work.resolve("empty-weights")), Map.of(
                "TRANSFERLAB_OFFLINE", "true",
                "TRANSFERLAB_MIRROR_URL", "http://127.0.0.1:9/mirror/"));

        TrainResult failed = train(topic, "offline");

        assertThat(failed.status()).isEqualTo(RunStatus.FAILED);
        assertThat(failed.error().code()).isEqualTo(ErrorCode.MISSING_WEIGHTS);
        assertThat(failed.error().message()).contains("resnet18-", ".pth", "http://127.0.0.1:9/mirror/",
                "TRANSFERLAB_OFFLINE", "TRANSFERLAB_MIRROR_URL");
    }

    private TrainResult train(String topic, String what) {
        String runId = newRunId(what);
        RunSpec spec = mnist(200, 50, 1).backbone("resnet18").weights("imagenet").imageSize(32).build();
        TrainRequest request = request(runId, "it-" + what + "-" + System.currentTimeMillis(), spec);
        companion().produceStrings().fromRecords(new ProducerRecord<>(topic, runId, Json.write(request)))
                .awaitCompletion(Duration.ofSeconds(30));
        return awaitResult(runId, Duration.ofMinutes(3));
    }

    private static String topic(String prefix) {
        String topic = prefix + "-" + System.currentTimeMillis();
        // The companion's admin calls time out after 10 s; a loaded broker can take longer: create until it exists.
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(2)).ignoreExceptions().until(() -> {
            if (!companion().topics().list().contains(topic)) {
                companion().topics().create(topic, 1);
            }
            return companion().topics().list().contains(topic);
        });
        return topic;
    }

    private void startReplica(String replicaId, String topic, Path weights, Map<String, String> environment) {
        QuarkusProcess p = QuarkusProcess.of("trainer-service").name(replicaId)
                .jvmOptions("-Xmx768m", "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1",
                        "-Djava.util.logging.manager=org.jboss.logmanager.LogManager")
                .env(environment)
                .property("kafka.bootstrap.servers", KafkaResource.bootstrapServers())
                .property("transferlab.trainer.id", replicaId)
                .property("transferlab.trainer.device", "cpu")
                .property("transferlab.trainer.data-dir", TrainerTestResource.dataDir().toString())
                .property("transferlab.trainer.model-store", work.resolve("models").toString())
                .property("transferlab.trainer.feature-cache", work.resolve("features").toString())
                .property("transferlab.trainer.weights-dir", weights.toString())
                .property("mp.messaging.incoming.train-requests.topic", topic)
                .property("mp.messaging.incoming.train-requests.group.id", replicaId + "-" + System.currentTimeMillis())
                .property("mp.messaging.incoming.train-requests.client.id", replicaId)
                .start();
        replicas.add(p);
    }
}
