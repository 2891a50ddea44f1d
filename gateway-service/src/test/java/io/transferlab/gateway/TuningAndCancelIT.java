package io.transferlab.gateway;

import static io.transferlab.gateway.TestKeys.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.transferlab.contracts.Topics;
import io.transferlab.contracts.json.Json;
import io.transferlab.contracts.train.ControlAction;
import io.transferlab.contracts.train.TrainControl;
import java.util.List;
import io.transferlab.contracts.train.RunStatus;
import io.transferlab.contracts.tune.TuneControl;
import io.transferlab.contracts.tune.TuneRequest;
import io.transferlab.gateway.standin.TunerStandIn;
import io.transferlab.testsupport.KafkaResource;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** Tunings and cancels land on their topics, keyed by study or run id, read back from the real broker. */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(TunerStandIn.class)
class TuningAndCancelIT {

    @InjectKafkaCompanion
    KafkaCompanion kafka;

    private ConsumerRecord<String, String> first(String topic, String key) {
        ConsumerTask<String, String> task = kafka.consumeStrings()
                .fromTopics(topic, m -> m.filter(r -> key.equals(r.key()))).awaitNextRecord(Duration.ofSeconds(20));
        ConsumerRecord<String, String> r = task.getFirstRecord();
        task.stop();
        return r;
    }

    @Test
    void queuesAGridStudyForTheTuner() {
        String studyId = as(TestKeys.TRAIN).contentType("application/json").header("X-Correlation-Id", "corr-tune-1")
                .body("{\"name\":\"2x2x2\",\"baseSpec\":{\"dataset\":\"mnist\",\"trainSize\":2000,\"epochs\":3},"
                        + "\"grid\":{\"denseUnits\":[256,512],\"dropout\":[0.1,0.3],\"batchSize\":[10,30]},"
                        + "\"maxParallel\":2}")
                .when().post("/api/v1/tunings")
                .then().statusCode(202)
                .header("Location", containsString("/api/v1/tunings/study-"))
                .body("trialCount", equalTo(8)).body("objective.metric", equalTo("val_accuracy"))
                .body("events", containsString("/events"))
                .extract().path("studyId");
        ConsumerRecord<String, String> record = first(Topics.TUNE_REQUESTS, studyId);
        TuneRequest request = Json.read(record.value(), TuneRequest.class);
        assertThat(request.grid()).containsOnlyKeys("denseUnits", "dropout", "batchSize");
        assertThat(request.maxParallel()).isEqualTo(2);
        assertThat(request.correlationId()).isEqualTo("corr-tune-1");
        assertThat(request.baseSpec().optimizer()).as("base spec goes out unresolved").isNull();
    }

    @Test
    void rejectsAnInvalidStudyListingEveryViolation() {
        as(TestKeys.TRAIN).contentType("application/json")
                .body("{\"baseSpec\":{\"dataset\":\"mnist\",\"epochs\":0},\"grid\":{\"dropout\":[0.1,1.5],"
                        + "\"colour\":[1]},\"maxParallel\":0}")
                .when().post("/api/v1/tunings")
                .then().statusCode(400).contentType("application/problem+json")
                .body("violations.path", hasItems("baseSpec.epochs", "grid.dropout[1]", "grid.colour", "maxParallel"));
    }

    @Test
    void cancelsARunAndAStudyThroughTheControlTopics() {
        TunerStandIn.serve("/api/v1/runs/run-20990101-000000-00c0ffee",
                Views.run("run-20990101-000000-00c0ffee", RunStatus.RUNNING, 1));
        TunerStandIn.serve("/api/v1/studies/study-20990101-000000-00c0ffee",
                Views.study("study-20990101-000000-00c0ffee", 1, List.of()));
        as(TestKeys.TRAIN).delete("/api/v1/trainings/run-20990101-000000-00c0ffee").then().statusCode(202)
                .body("action", equalTo("CANCEL"));
        TrainControl train = Json.read(first(Topics.TRAIN_CONTROL, "run-20990101-000000-00c0ffee").value(),
                TrainControl.class);
        assertThat(train.action()).isEqualTo(ControlAction.CANCEL);
        assertThat(train.reason()).contains("trainer"); // the key's name
        assertThat(train.requester()).as("the authenticated key, for the trainer's check").isEqualTo("trainer");
        assertThat(train.requesterIsAdmin()).isNull();

        as(TestKeys.ALL).delete("/api/v1/tunings/study-20990101-000000-00c0ffee").then().statusCode(202);
        TuneControl tune = Json.read(first(Topics.TUNE_CONTROL, "study-20990101-000000-00c0ffee").value(),
                TuneControl.class);
        assertThat(tune.action()).isEqualTo(ControlAction.CANCEL);
        assertThat(tune.requester()).as("test-key-all's name").isEqualTo("tester");
        assertThat(tune.requesterIsAdmin()).isNull();
    }

    @Test
    void rejectsACancelOfAnInvalidId() {
        as(TestKeys.TRAIN).delete("/api/v1/trainings/-bad").then().statusCode(400)
                .body("violations.path", hasItems("id"));
    }

    @Test
    void refusesToCancelARunOrStudyNobodyKnows() {
        as(TestKeys.TRAIN).delete("/api/v1/trainings/run-20990101-000000-0000dead").then().statusCode(404)
                .contentType("application/problem+json");
        as(TestKeys.TRAIN).delete("/api/v1/tunings/study-20990101-000000-0000dead").then().statusCode(404)
                .contentType("application/problem+json");
    }
}
