package io.transferlab.inference;

import static io.restassured.RestAssured.given;
import static io.transferlab.inference.InferenceTestResources.VERSIONED;
import static io.transferlab.inference.TestRequester.pinned;
import static io.transferlab.inference.TestRequester.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.restassured.http.ContentType;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.transferlab.contracts.ErrorCode;
import io.transferlab.contracts.MessageHeaders;
import io.transferlab.contracts.Topics;
import io.transferlab.contracts.classify.ClassifyResult;
import io.transferlab.contracts.classify.ClassifyStatus;
import io.transferlab.contracts.json.Json;
import io.transferlab.contracts.model.ModelAliasChanged;
import io.transferlab.testsupport.KafkaResource;
import io.transferlab.testsupport.ManagementEndpoints;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * Two versions of one model in the store: a pinned request gets exactly its version; unpinned requests get the
 * version the {@code production} alias names while it is set ({@code vision.models.aliases}), else the newest.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(InferenceTestResources.class)
class VersionsAndAliasesIT {

    @Inject
    TestRequester requester;

    @InjectKafkaCompanion
    KafkaCompanion kafka;

    private static byte[] digit() {
        return Digits.test(1).get(0).png();
    }

    private ClassifyResult classify(io.transferlab.contracts.classify.ClassifyRequest request) {
        ClassifyResult result = requester.classify(request);
        assertThat(result.status()).as("%s", result.error()).isEqualTo(ClassifyStatus.OK);
        return result;
    }

    private void publish(String key, String value) {
        kafka.produceStrings().fromRecords(new ProducerRecord<>(Topics.MODEL_ALIASES, key, value))
                .awaitCompletion(Duration.ofSeconds(30));
    }

    private void setProduction(Integer version) {
        ModelAliasChanged change = ModelAliasChanged.of(VERSIONED, ModelAliasChanged.PRODUCTION, version, "it",
                Instant.now());
        publish(change.key(), Json.write(change));
    }

    private void awaitUnpinnedServedBy(int version) {
        await().atMost(Duration.ofSeconds(30)).until(() -> classify(request(VERSIONED, digit(), 1)).modelVersion()
                == version);
    }

    private static Map<String, Object> inferBody() {
        return Map.of("inputs", List.of(Map.of("name", "image", "datatype", "BYTES", "shape", List.of(1),
                "data", List.of(Base64.getEncoder().encodeToString(digit())))));
    }

    @Test
    void aPinnedRequestIsServedByExactlyItsVersion() {
        assertThat(classify(request(VERSIONED, digit(), 1)).modelVersion()).as("unpinned: the newest").isEqualTo(2);
        assertThat(classify(pinned(VERSIONED, 1, digit(), 1)).modelVersion()).isEqualTo(1);
        assertThat(classify(pinned(VERSIONED, 2, digit(), 1)).modelVersion()).isEqualTo(2);
        assertThat(classify(pinned(VERSIONED, 1, digit(), 3)).predictions()).hasSize(3);

        ClassifyResult unknown = requester.classify(pinned(VERSIONED, 3, digit(), 1));
        assertThat(unknown.status()).isEqualTo(ClassifyStatus.ERROR);
        assertThat(unknown.error().code()).isEqualTo(ErrorCode.UNKNOWN_MODEL);
        assertThat(unknown.error().message()).contains("version 3");
        assertThat(classify(request(VERSIONED, digit(), 1)).modelVersion()).as("the newest is unaffected")
                .isEqualTo(2);
    }

    @Test
    void theProductionAliasServesUnpinnedRequestsUntilItIsCleared() {
        assertThat(classify(request(VERSIONED, digit(), 1)).modelVersion()).isEqualTo(2);

        setProduction(1);
        awaitUnpinnedServedBy(1);
        assertThat(classify(pinned(VERSIONED, 2, digit(), 1)).modelVersion()).as("a pin wins over the alias")
                .isEqualTo(2);
        given().contentType(ContentType.JSON).body(inferBody()).post("/v2/models/" + VERSIONED + "/infer")
                .then().statusCode(200).body("model_version", equalTo("1"));
        given().get("/v2/models/" + VERSIONED).then().statusCode(200)
                .body("versions", equalTo(List.of("1", "2"))).body("parameters.aliases.production", equalTo(1));

        setProduction(null);
        awaitUnpinnedServedBy(2);
        given().contentType(ContentType.JSON).body(inferBody()).post("/v2/models/" + VERSIONED + "/infer")
                .then().statusCode(200).body("model_version", equalTo("2"));
    }

    @Test
    void anAliasRecordThatIsNoAliasChangeGoesToTheDeadLetterTopicAndLaterChangesStillApply() {
        String key = VERSIONED + "/broken-" + System.nanoTime();
        publish(key, "{\"schemaVersion\": 2, \"modelId\": \"" + VERSIONED + "\", \"alias\": \"production\"}");
        try (ConsumerTask<String, String> dlq = kafka.consumeStrings().withProp("auto.offset.reset", "earliest")
                .fromTopics(Topics.deadLetter(Topics.MODEL_ALIASES))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> dlq.getRecords().stream()
                    .anyMatch(r -> key.equals(r.key())));
            ConsumerRecord<String, String> record = dlq.getRecords().stream().filter(r -> key.equals(r.key()))
                    .findFirst().orElseThrow();
            assertThat(new String(record.headers().lastHeader(MessageHeaders.DEAD_LETTER_REASON).value(),
                    StandardCharsets.UTF_8)).contains("changedBy is required").contains("changedAt is required");
        }
        // the service keeps reading: a good change after the bad one takes effect
        setProduction(1);
        awaitUnpinnedServedBy(1);
        setProduction(null);
        awaitUnpinnedServedBy(2);
    }

    @Test
    void theProtocolsVersionedEndpointsServeOneVersion() {
        given().get("/v2/models/" + VERSIONED + "/versions/1").then().statusCode(200)
                .body("name", equalTo(VERSIONED)).body("versions", equalTo(List.of("1")))
                .body("outputs.name", hasItems("labels", "scores")).body("parameters.classes", equalTo(10));
        given().get("/v2/models/" + VERSIONED + "/versions/1/ready").then().statusCode(200)
                .body("ready", equalTo(true));
        given().contentType(ContentType.JSON).body(inferBody())
                .post("/v2/models/" + VERSIONED + "/versions/1/infer")
                .then().statusCode(200).body("model_name", equalTo(VERSIONED)).body("model_version", equalTo("1"));

        given().get("/v2/models/" + VERSIONED + "/versions/3").then().statusCode(404)
                .contentType("application/problem+json").body("code", equalTo("UNKNOWN_MODEL"))
                .body("error", containsString("no version 3"));
        given().get("/v2/models/" + VERSIONED + "/versions/3/ready").then().statusCode(404);
        given().contentType(ContentType.JSON).body(inferBody())
                .post("/v2/models/" + VERSIONED + "/versions/3/infer")
                .then().statusCode(404).contentType("application/problem+json");
        for (String bad : List.of("0", "x", "01")) {
            given().get("/v2/models/" + VERSIONED + "/versions/" + bad).then().statusCode(400)
                    .contentType("application/problem+json").body("error", containsString("positive integer"));
            given().contentType(ContentType.JSON).body(inferBody())
                    .post("/v2/models/" + VERSIONED + "/versions/" + bad + "/infer")
                    .then().statusCode(400).contentType("application/problem+json");
        }
        given().get("/v2/models/no-such-model/versions/1").then().statusCode(404);
    }

    @Test
    void readinessSaysTheAliasesHaveBeenRead() {
        given().get(ManagementEndpoints.ready()).then().statusCode(200)
                .body("checks.find { it.name == 'Model aliases' }.status", equalTo("UP"));
    }
}
