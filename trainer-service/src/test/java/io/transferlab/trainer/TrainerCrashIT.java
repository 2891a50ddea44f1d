package io.transferlab.trainer;

import static io.transferlab.trainer.TrainTopics.awaitResult;
import static io.transferlab.trainer.TrainTopics.companion;
import static io.transferlab.trainer.TrainTopics.mnist;
import static io.transferlab.trainer.TrainTopics.newRunId;
import static io.transferlab.trainer.TrainTopics.request;
import static io.transferlab.trainer.TrainTopics.results;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.transferlab.contracts.ErrorCode;
import io.transferlab.contracts.json.Json;
import io.transferlab.contracts.train.RunStatus;
import io.transferlab.contracts.train.TrainRequest;
import io.transferlab.contracts.train.TrainResult;
import io.transferlab.testsupport.KafkaResource;
import io.transferlab.testsupport.QuarkusProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A request that keeps killing its trainer: the packaged trainer ({@code target/quarkus-app}) runs as a separate
 * process and is killed with SIGKILL while it runs the same request, twice (the default
 * {@code transferlab.trainer.max-crashes}); the third process answers FAILED with TRAINER_CRASHED, commits the
 * record, and trains the next request of the same partition.
 * <p>
 * No {@code @QuarkusTest}: the replicas read a topic of their own (one partition) in a group of their own, so that
 * a trainer running in this JVM for other test classes cannot take the request over. Results go to the real
 * results topic.
 */
class TrainerCrashIT {

    @TempDir
    Path work;

    private final List<QuarkusProcess> replicas = new ArrayList<>();

    @AfterEach
    void stopReplicas() {
        for (QuarkusProcess p : replicas) {
            if (p.isAlive()) {
                p.kill();
            }
        }
    }

    @Test
    void requestWhoseTrainerDiedTwiceEndsTrainerCrashedAndThePartitionMovesOn() throws IOException {
        long t = System.currentTimeMillis();
        String topic = "it-crash-requests-" + t;
        String group = "it-crash-trainer-" + t;
        // The companion's admin calls time out after 10 s; a loaded broker can take longer: create until it exists.
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(2)).ignoreExceptions().until(() -> {
            if (!companion().topics().list().contains(topic)) {
                companion().topics().create(topic, 1);
            }
            return companion().topics().list().contains(topic);
        });
        Path store = Files.createDirectories(work.resolve("models"));
        Files.createDirectories(work.resolve("weights"));
        String runId = newRunId("crash");
        Path lease = store.resolve("_runs").resolve(runId + ".lease");

        QuarkusProcess first = startReplica("it-crash-a-" + t, topic, group, store);
        send(topic, request(runId, "it-crash-" + t, mnist(1000, 100, 30).build()));
        await().atMost(Duration.ofMinutes(2)).until(() -> holder(lease).contains(first.name()));
        first.kill(); // SIGKILL while it runs the request: no shutdown path, its lease stays behind

        QuarkusProcess second = startReplica("it-crash-b-" + t, topic, group, store);
        await().atMost(Duration.ofMinutes(2)).until(() -> holder(lease).contains(second.name()));
        assertThat(Files.readString(lease)).contains("\"deaths\":1");
        second.kill();

        QuarkusProcess third = startReplica("it-crash-c-" + t, topic, group, store);
        TrainResult crashed = awaitResult(runId, Duration.ofMinutes(2));
        assertThat(crashed.status()).isEqualTo(RunStatus.FAILED);
        assertThat(crashed.error().code()).isEqualTo(ErrorCode.TRAINER_CRASHED);
        assertThat(crashed.error().message()).contains("the trainer died 2 times running this");
        assertThat(crashed.trainerId()).isEqualTo(third.name());

        // the record was committed: the next request of the (only) partition trains on the same replica
        String nextRun = newRunId("after-crash");
        send(topic, request(nextRun, "it-after-crash-" + t, mnist(200, 50, 1).build()));
        TrainResult next = awaitResult(nextRun, Duration.ofMinutes(2));
        assertThat(next.status()).as("error: %s", next.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(next.trainerId()).isEqualTo(third.name());
        assertThat(results(runId)).hasSize(1);
        assertThat(third.isAlive()).isTrue();
    }

    private static String holder(Path lease) {
        try {
            return Files.isRegularFile(lease) ? Files.readString(lease) : "";
        } catch (IOException e) {
            return ""; // replaced atomically while read: look again
        }
    }

    private static void send(String topic, TrainRequest request) {
        companion().produceStrings().fromRecords(new ProducerRecord<>(topic, request.runId(), Json.write(request)))
                .awaitCompletion(Duration.ofSeconds(30));
    }

    private QuarkusProcess startReplica(String replicaId, String topic, String group, Path store) {
        QuarkusProcess p = QuarkusProcess.of("trainer-service").name(replicaId)
                .jvmOptions("-Xmx512m", "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1",
                        "-Djava.util.logging.manager=org.jboss.logmanager.LogManager")
                .property("kafka.bootstrap.servers", KafkaResource.bootstrapServers())
                .property("transferlab.trainer.id", replicaId)
                .property("transferlab.trainer.device", "cpu")
                .property("transferlab.trainer.data-dir", TrainerTestResource.dataDir().toString())
                .property("transferlab.trainer.model-store", store.toString())
                .property("transferlab.trainer.feature-cache", work.resolve("features").toString())
                .property("transferlab.trainer.weights-dir", work.resolve("weights").toString())
                // heartbeats every 2 s; a killed holder's lease is stale 6 s later
                .property("transferlab.trainer.lease-timeout", "PT6S")
                .property("transferlab.trainer.lease-check-interval", "PT0.5S")
                .property("mp.messaging.incoming.train-requests.topic", topic)
                .property("mp.messaging.incoming.train-requests.group.id", group)
                .property("mp.messaging.incoming.train-requests.client.id", replicaId)
                .property("mp.messaging.incoming.train-requests.session.timeout.ms", "6000")
                .property("mp.messaging.incoming.train-requests.heartbeat.interval.ms", "1000")
                .start();
        replicas.add(p);
        return p;
    }
}
