package io.transferlab.gateway;

import static io.transferlab.gateway.TestKeys.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.transferlab.contracts.MessageHeaders;
import io.transferlab.contracts.Topics;
import io.transferlab.contracts.json.Json;
import io.transferlab.contracts.train.TrainRequest;
import io.transferlab.testsupport.KafkaResource;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(io.transferlab.gateway.standin.TunerStandIn.class)
class TrainingSubmissionIT {

    @InjectKafkaCompanion
    KafkaCompanion kafka;

    @Test
    void queuesAValidSpecOnTheTrainRequestsTopic() {
        String runId = as(TestKeys.ALL).contentType("application/json").header("X-Correlation-Id", "corr-it-1")
                .body("{\"spec\":{\"dataset\":\"mnist\",\"trainSize\":500,\"epochs\":2},\"modelId\":\"digits\"}")
                .when().post("/api/v1/trainings")
                .then().statusCode(202)
                .header("Location", containsString("/api/v1/trainings/run-"))
                .body("status", equalTo("QUEUED"))
                .body("modelId", equalTo("digits"))
                .body("spec.optimizer", equalTo("rmsprop"))
                .extract().path("runId");

        ConsumerTask<String, String> records = kafka.consumeStrings()
                .fromTopics(Topics.TRAIN_REQUESTS, m -> m.filter(r -> runId.equals(r.key())))
                .awaitNextRecord(Duration.ofSeconds(20));
        ConsumerRecord<String, String> record = records.getFirstRecord();
        records.stop();
        TrainRequest request = Json.read(record.value(), TrainRequest.class);
        assertThat(request.runId()).isEqualTo(runId);
        assertThat(request.modelId()).isEqualTo("digits");
        assertThat(request.spec().trainSize()).isEqualTo(500);
        assertThat(request.spec().epochs()).isEqualTo(2);
        assertThat(request.spec().batchSize()).as("defaults resolved before publishing").isEqualTo(32);
        assertThat(request.correlationId()).isEqualTo("corr-it-1");
        assertThat(new String(record.headers().lastHeader(MessageHeaders.CORRELATION_ID).value(),
                StandardCharsets.UTF_8)).isEqualTo("corr-it-1");
        assertThat(record.headers().lastHeader(MessageHeaders.CE_TYPE)).isNotNull();
    }

    @Test
    void rejectsAnInvalidSpecListingEveryViolation() {
        as(TestKeys.ALL).contentType("application/json")
                .body("{\"spec\":{\"dataset\":\"mnist\",\"epochs\":0,\"optimizer\":\"adagrad\",\"dropout\":1.5,"
                        + "\"validationSplit\":0.95}}")
                .when().post("/api/v1/trainings")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("violations.path", hasItems("spec.epochs", "spec.optimizer", "spec.dropout", "spec.validationSplit"))
                .body("violations.message", hasItems("must be between 1 and 1000", "must be one of rmsprop, adam, sgd",
                        "must be in [0, 1)", "must be in [0, 0.9]"));
    }

    @Test
    void rejectsUnknownFieldsAndMalformedJson() {
        as(TestKeys.ALL).contentType("application/json").body("{\"spec\":{\"dataset\":\"mnist\",\"epoch\":3}}")
                .when().post("/api/v1/trainings")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", startsWith("unknown field 'spec.epoch'"));
        as(TestKeys.ALL).contentType("application/json").body("{\"spec\":")
                .when().post("/api/v1/trainings")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", startsWith("malformed JSON: "));
        as(TestKeys.ALL).contentType("application/json").body("not json")
                .when().post("/api/v1/trainings")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", startsWith("malformed JSON: "));
        as(TestKeys.ALL).contentType("application/json").body("{}")
                .when().post("/api/v1/trainings")
                .then().statusCode(400).contentType("application/problem+json")
                .body("violations.path", hasItems("spec"));
    }
}
