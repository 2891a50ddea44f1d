package io.transferlab.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.transferlab.contracts.Topics;
import io.transferlab.contracts.json.Json;
import io.transferlab.contracts.query.RunView;
import io.transferlab.contracts.sse.ServerSentEvent;
import io.transferlab.contracts.train.RunStatus;
import io.transferlab.contracts.train.TrainProgress;
import io.transferlab.contracts.train.TrainRequest;
import io.transferlab.contracts.train.TrainResult;
import io.transferlab.gateway.service.RecentSubmissions;
import io.transferlab.testsupport.ManagementEndpoints;
import jakarta.inject.Inject;
import io.transferlab.gateway.standin.TunerStandIn;
import io.transferlab.testsupport.KafkaResource;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** SSE: progress as it is published on the real broker, in order, after the tuner's snapshot, then the result. */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(TunerStandIn.class)
class ProgressEventsIT {

    @TestHTTPResource("/")
    URL base;

    @Inject
    RecentSubmissions recent;

    @InjectKafkaCompanion
    KafkaCompanion kafka;

    private void publish(String topic, String key, Object message) {
        kafka.produceStrings().fromRecords(new ProducerRecord<>(topic, key, Json.write(message)))
                .awaitCompletion(Duration.ofSeconds(10));
    }

    @Test
    void streamsTheSnapshotThenEachEpochInOrderThenTheResult() {
        String runId = "run-sse-1";
        TunerStandIn.serve("/api/v1/runs/" + runId, Views.run(runId, RunStatus.RUNNING, 1));
        try (SseClient sse = new SseClient(URI.create(base + "api/v1/trainings/" + runId + "/events"), TestKeys.ALL)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> sse.names().contains("snapshot"));
            // Epoch 1 is in the snapshot: its (re)delivery must not show twice.
            for (int epoch = 1; epoch <= 3; epoch++) {
                publish(Topics.TRAIN_PROGRESS, runId, Views.progress(runId, null, epoch));
            }
            publish(Topics.TRAIN_PROGRESS, "run-other", Views.progress("run-other", null, 1));
            publish(Topics.TRAIN_RESULTS, runId, Views.result(runId, null, 3));
            await().atMost(Duration.ofSeconds(15)).until(sse::ended);
            assertThat(sse.status()).isEqualTo(200);
            assertThat(sse.names()).containsExactly("snapshot", "progress", "progress", "result", "complete");
            List<ServerSentEvent> events = sse.events();
            assertThat(Json.read(events.get(0).data(), RunView.class).epochsCompleted()).isEqualTo(1);
            assertThat(events.subList(1, 3)).extracting(e -> Json.read(e.data(), TrainProgress.class).metrics().epoch())
                    .containsExactly(2, 3);
            assertThat(events.get(1).id()).isEqualTo(runId + ":2");
            TrainResult result = Json.read(events.get(3).data(), TrainResult.class);
            assertThat(result.confusionMatrix().counts()[1][1]).isEqualTo(47);
        }
    }

    @Test
    void streamsLiveEventsWhenTheTunerHasNoRecordYet() {
        String runId = "run-sse-2";
        // queued through this gateway a moment ago: the tuner has not read the request yet
        recent.run(new TrainRequest(1, runId, null, null, null, "corr-sse-2", java.time.Instant.now()));
        try (SseClient sse = new SseClient(URI.create(base + "api/v1/trainings/" + runId + "/events"), TestKeys.ALL)) {
            await().atMost(Duration.ofSeconds(10)).until(sse::open);
            await().atMost(Duration.ofSeconds(10)).until(() -> subscribers("training") >= 1);
            publish(Topics.TRAIN_PROGRESS, runId, Views.progress(runId, null, 1));
            publish(Topics.TRAIN_RESULTS, runId, Views.result(runId, null, 1));
            await().atMost(Duration.ofSeconds(15)).until(sse::ended);
            assertThat(sse.names()).containsExactly("progress", "result", "complete");
        }
    }

    @Test
    void aStudyStreamEndsWhenEveryTrialHasAResult() {
        String studyId = "study-sse-1";
        TunerStandIn.serve("/api/v1/studies/" + studyId, Views.study(studyId, 3, List.of(
                Views.row("run-s1", 0, RunStatus.SUCCEEDED, 0.8), Views.row("run-s2", 1, RunStatus.RUNNING, null),
                Views.row("run-s3", 2, RunStatus.QUEUED, null))));
        try (SseClient sse = new SseClient(URI.create(base + "api/v1/tunings/" + studyId + "/events"), TestKeys.ALL)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> sse.names().contains("snapshot"));
            publish(Topics.TRAIN_PROGRESS, "run-s2", Views.progress("run-s2", studyId, 1));
            publish(Topics.TRAIN_RESULTS, "run-s2", Views.result("run-s2", studyId, 1));
            publish(Topics.TRAIN_RESULTS, "run-x", Views.result("run-x", "another-study", 1));
            await().atMost(Duration.ofSeconds(10)).until(() -> sse.names().contains("result"));
            assertThat(sse.ended()).as("one trial still to go").isFalse();
            publish(Topics.TRAIN_RESULTS, "run-s3", Views.result("run-s3", studyId, 1));
            await().atMost(Duration.ofSeconds(15)).until(sse::ended);
            assertThat(sse.names()).containsExactly("snapshot", "progress", "result", "result", "complete");
        }
    }

    @Test
    void streamsNeedAKey() {
        io.restassured.RestAssured.given().get("/api/v1/trainings/run-x/events").then().statusCode(401);
    }

    static double subscribers(String stream) {
        String metrics = io.restassured.RestAssured.get(ManagementEndpoints.metrics()).asString();
        return metrics.lines().filter(l -> l.startsWith("transferlab_sse_subscribers{") && l.contains(stream))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
