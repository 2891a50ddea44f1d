package io.transferlab.tuner;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.transferlab.contracts.Topics;
import io.transferlab.contracts.json.Json;
import io.transferlab.contracts.train.ClassAccuracy;
import io.transferlab.contracts.train.ConfusionMatrix;
import io.transferlab.contracts.train.EpochMetrics;
import io.transferlab.contracts.train.FinalMetrics;
import io.transferlab.contracts.train.RunSpec;
import io.transferlab.contracts.train.RunStatus;
import io.transferlab.contracts.train.TrainProgress;
import io.transferlab.contracts.train.TrainRequest;
import io.transferlab.contracts.train.TrainResult;
import io.transferlab.contracts.train.TrainStage;
import io.transferlab.testsupport.KafkaResource;
import io.transferlab.testsupport.PostgresResource;
import io.transferlab.testsupport.Sql;
import io.transferlab.tuner.support.TopicReader;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** Messages from outside the tuner end up as rows, checked with plain SQL. */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
class RunRecordingIT {

    @InjectKafkaCompanion
    KafkaCompanion kafka;

    private void send(String topic, String key, Object message) {
        kafka.produceStrings().fromRecords(new ProducerRecord<>(topic, key,
                message instanceof String s ? s : Json.write(message))).awaitCompletion();
    }

    private static List<List<Object>> query(String sql, Object... args) {
        return Sql.shared().rows(sql, args);
    }

    @Test
    void recordsARunFromRequestThroughEpochsToResultAndIgnoresRedeliveries() throws Exception {
        String runId = "run-it-" + System.nanoTime();
        RunSpec spec = RunSpec.builder().dataset("mnist").trainSize(500).epochs(2).denseUnits(128).build().withDefaults();
        Instant t0 = Instant.now();
        send(Topics.TRAIN_REQUESTS, runId, new TrainRequest(2, runId, null, null, spec, "corr-7", t0, "alice", null));
        await().atMost(Duration.ofSeconds(30)).until(() ->
                query("SELECT status FROM run WHERE run_id = ?", runId).equals(List.of(List.of("QUEUED"))));

        EpochMetrics e1 = new EpochMetrics(1, TrainStage.TRAIN, 1.10, 0.61, 0.95, 0.70, 1200);
        EpochMetrics e2 = new EpochMetrics(2, TrainStage.TRAIN, 0.60, 0.82, 0.55, 0.84, 1100);
        TrainProgress p1 = new TrainProgress(1, runId, null, e1, 2, 1200, 410.0, "cpu()", t0.plusSeconds(2));
        send(Topics.TRAIN_PROGRESS, runId, p1);
        send(Topics.TRAIN_PROGRESS, runId, p1);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                query("SELECT status, epochs_completed FROM run WHERE run_id = ?", runId)
                        .equals(List.of(List.of("RUNNING", 1))));

        TrainResult result = new TrainResult(1, runId, null, RunStatus.SUCCEEDED, spec, List.of(e1, e2),
                new FinalMetrics(0.5, 0.85, 0.55, 0.84, 0.57, 0.83),
                new ConfusionMatrix(List.of("0", "1"), new int[][] {{40, 7}, {10, 43}}),
                List.of(new ClassAccuracy(0, "0", 80.0, 50), new ClassAccuracy(1, "1", 86.0, 50)),
                List.of("0", "1"), runId, 1, "cpu()", "trainer-a", t0.plusSeconds(1), t0.plusSeconds(5), 4000L,
                400.0, null);
        send(Topics.TRAIN_RESULTS, runId, result);
        send(Topics.TRAIN_RESULTS, runId, result);
        // A late, redelivered progress message must not turn the finished run back into RUNNING.
        send(Topics.TRAIN_PROGRESS, runId, p1);
        // a redelivered request of another owner (it cannot happen: the id is the gateway's) changes no owner
        send(Topics.TRAIN_REQUESTS, runId, new TrainRequest(2, runId, null, null, spec, "corr-7", t0, "mallory", null));

        await().atMost(Duration.ofSeconds(30)).until(() ->
                query("SELECT status FROM run WHERE run_id = ?", runId).equals(List.of(List.of("SUCCEEDED"))));
        // Let the late messages land, then check nothing was counted twice or regressed.
        await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> true);

        assertThat(query("SELECT status, dense_units, optimizer, test_accuracy, val_accuracy, model_id, correlation_id,"
                + " epochs_completed, owner FROM run WHERE run_id = ?", runId))
                .containsExactly(List.of("SUCCEEDED", 128, "rmsprop", 0.83, 0.84, runId, "corr-7", 2, "alice"));
        assertThat(query("SELECT owner FROM ls_runs WHERE run_id = ?", runId)).containsExactly(List.of("alice"));
        assertThat(given().get("/api/v1/runs/{id}", runId).then().statusCode(200).extract().<String>path("owner"))
                .isEqualTo("alice");
        assertThat(query("SELECT epoch, loss, val_accuracy FROM run_epoch WHERE run_id = ? ORDER BY epoch", runId))
                .containsExactly(List.of(1, 1.10, 0.70), List.of(2, 0.60, 0.84));
        assertThat(query("SELECT class_index, accuracy, support FROM run_class_metric WHERE run_id = ? ORDER BY 1", runId))
                .containsExactly(List.of(0, 80.0, 50), List.of(1, 86.0, 50));
        assertThat(query("SELECT sum(count) FROM run_confusion WHERE run_id = ?", runId))
                .containsExactly(List.of(100L));
        assertThat(query("SELECT count FROM run_confusion WHERE run_id = ? AND predicted = 1 AND actual = 0", runId))
                .containsExactly(List.of(10));
    }

    @Test
    void sendsAnUnreadableProgressMessageToTheDeadLetterTopicAndKeepsConsuming() throws Exception {
        String poisonKey = "poison-" + System.nanoTime();
        send(Topics.TRAIN_PROGRESS, poisonKey, "{\"runId\": \"x\", \"epoch\": \"not a number\"");

        try (TopicReader deadLetters = new TopicReader(KafkaResource.bootstrapServers(),
                List.of(Topics.deadLetter(Topics.TRAIN_PROGRESS)))) {
            ConsumerRecord<String, String> found = deadLetters.awaitOne(r -> poisonKey.equals(r.key()),
                    Duration.ofSeconds(30));
            String reason = new String(found.headers().lastHeader("dead-letter-reason").value());
            assertThat(reason).contains("malformed JSON");
        }

        String runId = "run-after-poison-" + System.nanoTime();
        send(Topics.TRAIN_PROGRESS, runId, new TrainProgress(1, runId, null,
                new EpochMetrics(1, TrainStage.TRAIN, 1.0, 0.5, null, null, 10), 3, 10, 1.0, "cpu()", Instant.now()));
        await().atMost(Duration.ofSeconds(30)).until(() ->
                query("SELECT status FROM run WHERE run_id = ?", runId).equals(List.of(List.of("RUNNING"))));
    }
}
