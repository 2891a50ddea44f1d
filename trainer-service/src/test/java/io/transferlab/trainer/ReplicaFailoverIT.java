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
import io.transferlab.testsupport.QuarkusProcess;
import io.transferlab.vision.store.ModelStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
    private QuarkusProcess replica;

    @AfterEach
    void stopReplica() {
        if (replica != null && replica.isAlive()) {
            replica.kill();
        }
    }

    @Test
    void sigtermDuringARunPublishesNothingFalseAndAnotherReplicaRunsTheRequestAgain() throws Exception {
        String replicaId = "it-replica-term-" + System.currentTimeMillis();
        String runId = newRunId("sigterm");
        String modelId = "it-sigterm-" + System.currentTimeMillis();

        // two slots: two consumers in the group, each its own partitions
        int partition = startReplicaAndTakeAPartition(replicaId, 2);
        TrainTopics.send(request(runId, modelId, mnist(1000, 100, 4).build()), partition);
        await().atMost(Duration.ofMinutes(2)).until(() -> !progress(runId).isEmpty());

        replica.terminate(Duration.ofSeconds(60)); // SIGTERM: the JVM runs its shutdown path, within a minute
        assertThat(replica.logText()).contains("interrupted by shutdown").doesNotContain("result published");

        TrainResult result = awaitResult(runId, Duration.ofMinutes(3));
        assertOneHonestResultFromThisReplica(runId, modelId, result, 4);
    }

    @Test
    void replicaKilledMidRunLeavesTheRequestToAnotherReplicaOnceItsLeaseExpires() throws Exception {
        String replicaId = "it-replica-kill-" + System.currentTimeMillis();
        String runId = newRunId("sigkill");
        String modelId = "it-sigkill-" + System.currentTimeMillis();

        int partition = startReplicaAndTakeAPartition(replicaId, 1);
        TrainTopics.send(request(runId, modelId, mnist(1000, 100, 4).build()), partition);
        await().atMost(Duration.ofMinutes(2)).until(() -> !progress(runId).isEmpty());
        Path lease = TrainerTestResource.modelStore().resolve("_runs").resolve(runId + ".lease");
        assertThat(Files.readString(lease)).contains(replicaId);

        replica.kill(); // SIGKILL: no shutdown path, the lease stays behind

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
    private int startReplicaAndTakeAPartition(String replicaId, int concurrency) {
        replica = startReplica(replicaId, concurrency);
        List<TopicPartition> owned = new ArrayList<>();
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).until(() -> {
            if (!replica.isAlive()) {
                throw new IllegalStateException("the replica exited: " + replica.logText());
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

    /** The packaged application ({@code target/quarkus-app}, built before the ITs run) as a second replica. */
    private static QuarkusProcess startReplica(String replicaId, int concurrency) {
        return QuarkusProcess.of("trainer-service").name(replicaId)
                .jvmOptions("-Xmx1g", "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1",
                        "-Djava.util.logging.manager=org.jboss.logmanager.LogManager")
                .property("kafka.bootstrap.servers", KafkaResource.bootstrapServers())
                .property("transferlab.trainer.id", replicaId)
                .property("transferlab.trainer.device", "cpu")
                .property("transferlab.trainer.concurrency", String.valueOf(concurrency))
                .property("transferlab.trainer.data-dir", TrainerTestResource.dataDir().toString())
                .property("transferlab.trainer.model-store", TrainerTestResource.modelStore().toString())
                .property("transferlab.trainer.feature-cache", TrainerTestResource.featureCache().toString())
                .property("transferlab.trainer.weights-dir", TrainerTestResource.weights().toString())
                // heartbeats every ~3 s: the test JVM's trainer (lease timeout 10 s) takes over soon after a kill
                .property("transferlab.trainer.lease-timeout", "PT10S")
                .property("mp.messaging.incoming.train-requests.client.id", replicaId)
                // the broker's smallest session: a killed replica leaves the group within seconds
                .property("mp.messaging.incoming.train-requests.session.timeout.ms", "6000")
                .property("mp.messaging.incoming.train-requests.heartbeat.interval.ms", "1000")
                .start();
    }
}
