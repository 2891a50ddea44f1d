package io.transferlab.trainer;

import static io.transferlab.trainer.TrainTopics.mnist;
import static io.transferlab.trainer.TrainTopics.newRunId;
import static io.transferlab.trainer.TrainTopics.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.transferlab.contracts.Topics;
import io.transferlab.contracts.json.Json;
import io.transferlab.contracts.train.RunStatus;
import io.transferlab.contracts.train.TrainRequest;
import io.transferlab.contracts.train.TrainResult;
import io.transferlab.testsupport.DedicatedKafkaResource;
import io.transferlab.testsupport.KafkaBroker;
import io.transferlab.vision.store.ModelStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The broker goes away while a run trains, so the finished run's result cannot be published. The request must stay
 * uncommitted and the result must go out exactly once when the broker is back, without training again.
 */
@QuarkusTest
@WithTestResource(DedicatedKafkaResource.class)
@WithTestResource(TrainerTestResource.class)
class BrokerOutageIT {

    private static KafkaCompanion companion;

    @AfterAll
    static void close() {
        if (companion != null) {
            companion.close();
        }
    }

    @Test
    void resultOfARunThatFinishesWhileTheBrokerIsDownIsPublishedOnceWhenItReturns() {
        KafkaBroker broker = DedicatedKafkaResource.broker();
        companion = new KafkaCompanion(broker.bootstrapServers());
        ConsumerTask<String, String> results = companion.consumeStrings()
                .withOffsetReset(OffsetResetStrategy.EARLIEST).fromTopics(Topics.TRAIN_RESULTS);
        ConsumerTask<String, String> progress = companion.consumeStrings()
                .withOffsetReset(OffsetResetStrategy.EARLIEST).fromTopics(Topics.TRAIN_PROGRESS);
        String runId = newRunId("outage");
        String modelId = "it-outage-" + System.currentTimeMillis();
        TrainRequest request = request(runId, modelId, mnist(800, 100, 3).build());
        RecordMetadata sent = companion.produceStrings()
                .fromRecords(new ProducerRecord<>(Topics.TRAIN_REQUESTS, runId, Json.write(request)))
                .awaitCompletion(Duration.ofSeconds(30)).getFirstRecord();
        await().atMost(Duration.ofMinutes(2)).until(() -> of(progress, runId) > 0);

        broker.stop();
        // the run finishes and records its result, which the broker cannot take
        Path recorded = TrainerTestResource.modelStore().resolve("_runs").resolve(runId + ".json");
        await().atMost(Duration.ofMinutes(3)).until(() -> Files.exists(recorded));
        broker.start();

        await().atMost(Duration.ofMinutes(2)).until(() -> of(results, runId) == 1);
        TrainResult result = results.getRecords().stream().filter(r -> runId.equals(r.key()))
                .map(r -> Json.read(r.value(), TrainResult.class)).findFirst().orElseThrow();
        assertThat(result.status()).as("error: %s", result.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(result.modelVersion()).isEqualTo(1);

        TopicPartition partition = new TopicPartition(Topics.TRAIN_REQUESTS, sent.partition());
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            OffsetAndMetadata committed = companion.consumerGroups().offsets("transferlab-trainer", partition);
            return committed != null && committed.offset() == sent.offset() + 1;
        });
        await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(15)).until(() -> of(results, runId) == 1);
        assertThat(new ModelStore(TrainerTestResource.modelStore()).versions(modelId)).hasSize(1);
        List<Integer> epochs = progress.getRecords().stream().filter(r -> runId.equals(r.key()))
                .map(r -> Json.read(r.value(), io.transferlab.contracts.train.TrainProgress.class).metrics().epoch())
                .toList();
        assertThat(epochs).as("epochs in order through the outage (a re-send may repeat one)").isSorted().contains(1, 2, 3);
    }

    private static long of(ConsumerTask<String, String> task, String runId) {
        return task.getRecords().stream().filter(r -> runId.equals(r.key())).count();
    }
}
