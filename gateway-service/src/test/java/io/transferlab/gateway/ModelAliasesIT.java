package io.transferlab.gateway;

import static io.transferlab.gateway.TestKeys.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.transferlab.contracts.MessageHeaders;
import io.transferlab.contracts.SchemaVersion;
import io.transferlab.contracts.Topics;
import io.transferlab.contracts.json.Json;
import io.transferlab.contracts.model.ModelAliasChanged;
import io.transferlab.contracts.query.ModelView;
import io.transferlab.gateway.standin.TunerStandIn;
import io.transferlab.testsupport.KafkaResource;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code PUT} and {@code DELETE /api/v1/models/{id}/aliases/production}: what is refused, and what is published on
 * {@code vision.models.aliases} (a real broker; the tuner's stand-in knows the models).
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(TunerStandIn.class)
class ModelAliasesIT {

    @InjectKafkaCompanion
    KafkaCompanion kafka;

    @AfterEach
    void reset() {
        TunerStandIn.startServer();
        TunerStandIn.clear();
    }

    /** A model of its own per test (versions 1 and 2), so that records on the shared topic tell tests apart. */
    private static String knownModel(String name) {
        String modelId = name + "-" + System.nanoTime();
        TunerStandIn.serve("/api/v1/models/" + modelId, Views.model(modelId));
        return modelId;
    }

    private List<ConsumerRecord<String, String>> published(String modelId, int count) {
        ConsumerTask<String, String> records = kafka.consumeStrings()
                .fromTopics(Topics.MODEL_ALIASES, m -> m.filter(r -> r.key().startsWith(modelId + "/")))
                .awaitRecords(count, Duration.ofSeconds(20));
        List<ConsumerRecord<String, String>> list = records.getRecords();
        records.stop();
        return list;
    }

    @Test
    void settingAndClearingProductionPublishesBothChangesInOrder() {
        String modelId = knownModel("aliased");
        as(TestKeys.TRAIN).contentType("application/json").header("X-Correlation-Id", "corr-alias-1")
                .body("{\"version\": 1}")
                .when().put("/api/v1/models/" + modelId + "/aliases/production")
                .then().statusCode(200).contentType("application/json")
                .body("modelId", equalTo(modelId)).body("alias", equalTo("production")).body("version", equalTo(1))
                .body("changedBy", equalTo("trainer")).body("location", equalTo("/api/v1/models/" + modelId));
        as(TestKeys.ALL).when().delete("/api/v1/models/" + modelId + "/aliases/production")
                .then().statusCode(200).body("version", nullValue()).body("changedBy", equalTo("tester"));

        List<ConsumerRecord<String, String>> records = published(modelId, 2);
        assertThat(records).extracting(ConsumerRecord::key).containsOnly(modelId + "/production");
        ModelAliasChanged set = Json.read(records.get(0).value(), ModelAliasChanged.class);
        assertThat(set.schemaVersion()).isEqualTo(SchemaVersion.CURRENT);
        assertThat(set.modelId()).isEqualTo(modelId);
        assertThat(set.alias()).isEqualTo(ModelAliasChanged.PRODUCTION);
        assertThat(set.version()).isEqualTo(1);
        assertThat(set.changedBy()).isEqualTo("trainer");
        assertThat(set.changedAt()).isBefore(Instant.now().plusSeconds(1));
        assertThat(new String(records.get(0).headers().lastHeader(MessageHeaders.CORRELATION_ID).value(),
                StandardCharsets.UTF_8)).isEqualTo("corr-alias-1");
        assertThat(new String(records.get(0).headers().lastHeader(MessageHeaders.CE_TYPE).value(),
                StandardCharsets.UTF_8)).isEqualTo("io.transferlab.ModelAliasChanged");
        ModelAliasChanged cleared = Json.read(records.get(1).value(), ModelAliasChanged.class);
        assertThat(cleared.cleared()).isTrue();
        assertThat(records.get(1).value()).doesNotContain("\"version\"");
    }

    @Test
    void badBodiesAndOtherAliasesAre400AndNothingIsPublished() {
        String modelId = knownModel("refused");
        String path = "/api/v1/models/" + modelId + "/aliases/production";
        for (String body : List.of("{}", "{\"version\": 0}", "{\"version\": -3}", "{\"version\": \"2\"}",
                "{\"version\": 2.5}", "{\"version\": null}", "{\"version\": 99999999999}")) {
            as(TestKeys.TRAIN).contentType("application/json").body(body).when().put(path)
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("violations[0].path", equalTo("version"));
        }
        as(TestKeys.TRAIN).contentType("application/json").body("{\"version\": 2, \"owner\": \"x\"}").when().put(path)
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("unknown field 'owner'"));
        as(TestKeys.TRAIN).contentType("application/json").body("{\"version\": ").when().put(path)
                .then().statusCode(400).contentType("application/problem+json");
        as(TestKeys.TRAIN).contentType("application/json").when().put(path)
                .then().statusCode(400).contentType("application/problem+json");
        for (String alias : List.of("staging", "Production", "latest")) {
            as(TestKeys.TRAIN).contentType("application/json").body("{\"version\": 2}")
                    .when().put("/api/v1/models/" + modelId + "/aliases/" + alias)
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("violations[0].path", equalTo("alias"))
                    .body("violations[0].message", containsString("must be one of production"));
            as(TestKeys.TRAIN).when().delete("/api/v1/models/" + modelId + "/aliases/" + alias)
                    .then().statusCode(400).contentType("application/problem+json");
        }
        // one accepted change afterwards: it must be the only record of this model on the topic
        as(TestKeys.TRAIN).contentType("application/json").body("{\"version\": 2}").when().put(path)
                .then().statusCode(200);
        List<ConsumerRecord<String, String>> records = published(modelId, 1);
        assertThat(records).hasSize(1);
        assertThat(Json.read(records.get(0).value(), ModelAliasChanged.class).version()).isEqualTo(2);
    }

    @Test
    void anUnknownModelOrVersionIs404() {
        String modelId = knownModel("versions");
        as(TestKeys.TRAIN).contentType("application/json").body("{\"version\": 3}")
                .when().put("/api/v1/models/" + modelId + "/aliases/production")
                .then().statusCode(404).contentType("application/problem+json")
                .body("detail", containsString("model " + modelId + " has no version 3 (its versions: 1, 2)"));
        as(TestKeys.TRAIN).contentType("application/json").body("{\"version\": 1}")
                .when().put("/api/v1/models/nope/aliases/production")
                .then().statusCode(404).contentType("application/problem+json")
                .body("detail", containsString("model nope"));
        as(TestKeys.TRAIN).when().delete("/api/v1/models/nope/aliases/production")
                .then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void onlyTheTrainRoleMovesAliases() {
        String modelId = knownModel("roles");
        String path = "/api/v1/models/" + modelId + "/aliases/production";
        as(TestKeys.CLASSIFY).contentType("application/json").body("{\"version\": 1}").when().put(path)
                .then().statusCode(403).contentType("application/problem+json");
        as(TestKeys.CLASSIFY).when().delete(path).then().statusCode(403);
        io.restassured.RestAssured.given().contentType("application/json").body("{\"version\": 1}").when().put(path)
                .then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void onlyTheModelsOwnerOrAnAdminMovesItsAliases() {
        String modelId = "owned-" + System.nanoTime();
        TunerStandIn.serve("/api/v1/models/" + modelId, Views.model(modelId, "trainer"));
        String path = "/api/v1/models/" + modelId + "/aliases/production";
        as(TestKeys.OTHER_TRAIN).contentType("application/json").body("{\"version\": 1}").when().put(path)
                .then().statusCode(403).contentType("application/problem+json")
                .body("type", equalTo("https://transferlab.io/problems/not-owner"))
                .body("detail", containsString("may move its aliases")).body("detail", not(containsString("trainer")));
        as(TestKeys.OTHER_TRAIN).when().delete(path).then().statusCode(403)
                .body("type", equalTo("https://transferlab.io/problems/not-owner"));
        as(TestKeys.TRAIN).contentType("application/json").body("{\"version\": 1}").when().put(path)
                .then().statusCode(200).body("changedBy", equalTo("trainer"));
        as(TestKeys.ADMIN).when().delete(path).then().statusCode(200).body("changedBy", equalTo("operator"));

        assertThat(published(modelId, 2)).extracting(r -> Json.read(r.value(), ModelAliasChanged.class).changedBy())
                .as("the refused changes published nothing").containsExactly("trainer", "operator");
    }

    @Test
    void anUnreachableTunerIs503AndNothingIsPublished() {
        String modelId = knownModel("tuner-away");
        TunerStandIn.stopServer();
        as(TestKeys.TRAIN).contentType("application/json").body("{\"version\": 1}")
                .when().put("/api/v1/models/" + modelId + "/aliases/production")
                .then().statusCode(503).contentType("application/problem+json")
                .body("detail", containsString("cannot be reached"));
    }

    @Test
    void theModelShowsTheAliasesTheTunerRecorded() {
        ModelView plain = Views.model("shown");
        TunerStandIn.serve("/api/v1/models/shown", new ModelView(plain.modelId(), plain.latestVersion(),
                plain.latest(), plain.versions(), plain.owner(), Map.of("production", 1)));
        as(TestKeys.CLASSIFY).get("/api/v1/models/shown").then().statusCode(200)
                .body("aliases.production", equalTo(1)).body("latestVersion", equalTo(2));
    }
}
