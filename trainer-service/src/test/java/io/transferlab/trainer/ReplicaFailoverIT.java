package io.transferlab.trainer;

import static io.transferlab.trainer.TrainTopics.awaitResult;
import static io.transferlab.trainer.TrainTopics.companion;
import static io.transferlab.trainer.TrainTopics.mnist;
import static io.transferlab.trainer.TrainTopics.newRunId;
import static io.transferlab.trainer.TrainTopics.progress;
import static io.transferlab.trainer.TrainTopics.request;
import static io.transferlab.trainer.TrainTopics.results;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.transferlab.contracts.Topics;
import io.transferlab.contracts.train.RunStatus;
import io.transferlab.contracts.train.TrainProgress;
import io.transferlab.contracts.train.TrainResult;
import io.transferlab.testsupport.KafkaResource;
import io.transferlab.vision.store.ModelStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two replicas in the consumer group: the trainer of this test JVM and a second one started from the packaged
 * application ({@code target/quarkus-app}) as a real process on the same broker and the same model store (the
 * shared volume). A run is sent to a partition the second replica owns; it is stopped mid-run, and the first
 * replica must run it to exactly one SUCCEEDED result, with nothing false published by the one that stopped.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(TrainerTestResource.class)
class ReplicaFailoverIT {

    private static final String GROUP = "transferlab-trainer";
    private Process replica;

    @AfterEach
    void stopReplica() throws InterruptedException {
        if (replica != null && replica.isAlive()) {
            replica.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void sigtermDuringARunPublishesNothingFalseAndAnotherReplicaRunsTheRequestAgain() throws Exception {
        String replicaId = "it-replica-term-" + System.currentTimeMillis();
        Path log = Files.createTempFile("trainer-replica-", ".log");
        String runId = newRunId("sigterm");
        String modelId = "it-sigterm-" + System.currentTimeMillis();

        // two slots: two consumers in the group, each its own partitions
        int partition = startReplicaAndTakeAPartition(replicaId, log, 2);
        TrainTopics.send(request(runId, modelId, mnist(1000, 100, 4).build()), partition);
        await().atMost(Duration.ofMinutes(2)).until(() -> !progress(runId).isEmpty());

        replica.destroy(); // SIGTERM: the JVM runs its shutdown path
        assertThat(replica.waitFor(60, TimeUnit.SECONDS)).as("the replica stops within a minute").isTrue();
        String replicaLog = Files.readString(log);
        assertThat(replicaLog).contains("interrupted by shutdown").doesNotContain("result published");

        TrainResult result = awaitResult(runId, Duration.ofMinutes(3));
        assertOneHonestResultFromThisReplica(runId, modelId, result, 4);
    }

    @Test
    void replicaKilledMidRunLeavesTheRequestToAnotherReplicaOnceItsLeaseExpires() throws Exception {
        String replicaId = "it-replica-kill-" + System.currentTimeMillis();
        Path log = Files.createTempFile("trainer-replica-", ".log");
        String runId = newRunId("sigkill");
        String modelId = "it-sigkill-" + System.currentTimeMillis();

        int partition = startReplicaAndTakeAPartition(replicaId, log, 1);
        TrainTopics.send(request(runId, modelId, mnist(1000, 100, 4).build()), partition);
        await().atMost(Duration.ofMinutes(2)).until(() -> !progress(runId).isEmpty());
        Path lease = TrainerTestResource.modelStore().resolve("_runs").resolve(runId + ".lease");
        assertThat(Files.readString(lease)).contains(replicaId);

        replica.destroyForcibly(); // SIGKILL: no shutdown path, the lease stays behind
        assertThat(replica.waitFor(30, TimeUnit.SECONDS)).isTrue();

        TrainResult result = awaitResult(runId, Duration.ofMinutes(3));
        assertOneHonestResultFromThisReplica(runId, modelId, result, 4);
    }

    private void assertOneHonestResultFromThisReplica(String runId, String modelId, TrainResult result, int epochs) {
        assertThat(result.status()).as("error: %s", result.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(result.trainerId()).isEqualTo(TrainerTestResource.TRAINER_ID);
        assertThat(result.history()).hasSize(epochs);
        // the stopped replica's epochs, then the full run again from epoch 1
        List<Integer> epochsSeen = progress(runId).stream().map(TrainProgress::metrics).map(m -> m.epoch()).toList();
        assertThat(epochsSeen.subList(epochsSeen.size() - epochs, epochsSeen.size())).containsExactly(1, 2, 3, 4);
        await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(15)).until(() -> results(runId).size() == 1);
        assertThat(new ModelStore(TrainerTestResource.modelStore()).versions(modelId)).hasSize(1);
    }

    /** Starts the second replica and waits until the group gave it a partition of the requests topic. */
    private int startReplicaAndTakeAPartition(String replicaId, Path log, int concurrency) throws IOException {
        replica = new ProcessBuilder(replicaCommand(replicaId, concurrency)).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        List<TopicPartition> owned = new ArrayList<>();
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).until(() -> {
            if (!replica.isAlive()) {
                throw new IllegalStateException("the replica exited: " + Files.readString(log));
            }
            owned.clear();
            int members = 0;
            for (MemberDescription m : companion().consumerGroups().describe(GROUP).members()) {
                if (m.clientId().startsWith(replicaId)) {
                    members++;
                    owned.addAll(m.assignment().topicPartitions());
                }
            }
            return members == concurrency && owned.stream().anyMatch(tp -> tp.topic().equals(Topics.TRAIN_REQUESTS));
        });
        return owned.stream().filter(tp -> tp.topic().equals(Topics.TRAIN_REQUESTS)).findFirst().orElseThrow()
                .partition();
    }

    private static List<String> replicaCommand(String replicaId, int concurrency) {
        Path app = Path.of("target", "quarkus-app", "quarkus-run.jar").toAbsolutePath();
        assertThat(app).as("the packaged application (mvn package runs before the ITs)").isRegularFile();
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of("-Xmx1g", "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1",
                "-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
                "-Dkafka.bootstrap.servers=" + KafkaResource.bootstrapServers(),
                "-Dquarkus.http.port=0",
                "-Dtransferlab.trainer.id=" + replicaId,
                "-Dtransferlab.trainer.device=cpu",
                "-Dtransferlab.trainer.concurrency=" + concurrency,
                "-Dtransferlab.trainer.data-dir=" + TrainerTestResource.dataDir(),
                "-Dtransferlab.trainer.model-store=" + TrainerTestResource.modelStore(),
                "-Dtransferlab.trainer.feature-cache=" + TrainerTestResource.featureCache(),
                "-Dtransferlab.trainer.weights-dir=" + TrainerTestResource.weights(),
                // heartbeats every ~3 s: the test JVM's trainer (lease timeout 10 s) takes over soon after a kill
                "-Dtransferlab.trainer.lease-timeout=PT10S",
                "-Dmp.messaging.incoming.train-requests.client.id=" + replicaId,
                // the broker's smallest session: a killed replica leaves the group within seconds
                "-Dmp.messaging.incoming.train-requests.session.timeout.ms=6000",
                "-Dmp.messaging.incoming.train-requests.heartbeat.interval.ms=1000",
                "-jar", app.toString()));
        return cmd;
    }
}
