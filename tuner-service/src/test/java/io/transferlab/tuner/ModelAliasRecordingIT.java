package io.transferlab.tuner;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.anEmptyMap;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.transferlab.contracts.Topics;
import io.transferlab.contracts.json.Json;
import io.transferlab.contracts.model.ModelAliasChanged;
import io.transferlab.contracts.model.ModelPublished;
import io.transferlab.contracts.query.ModelView;
import io.transferlab.contracts.train.FinalMetrics;
import io.transferlab.testsupport.KafkaResource;
import io.transferlab.testsupport.PostgresResource;
import io.transferlab.testsupport.Sql;
import io.transferlab.tuner.support.Messages;
import io.transferlab.tuner.support.TopicReader;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** vision.models.aliases: every change ends up in model_aliases (plain SQL) and in the models API. */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
class ModelAliasRecordingIT {

    @InjectKafkaCompanion
    KafkaCompanion kafka;

    private final Sql sql = Sql.shared();

    private void send(String topic, String key, String value) {
        kafka.produceStrings().fromRecords(new ProducerRecord<>(topic, key, value)).awaitCompletion();
    }

    private void change(ModelAliasChanged change) {
        send(Topics.MODEL_ALIASES, change.key(), Json.write(change));
    }

    private String publishedModel() {
        String modelId = "aliased-" + System.nanoTime();
        FinalMetrics m = new FinalMetrics(0.2, 0.95, 0.25, 0.93, 0.27, 0.92);
        for (int v = 1; v <= 2; v++) {
            send(Topics.MODELS, modelId, Json.write(new ModelPublished(1, modelId, v, "run-" + v, Messages.baseSpec(),
                    List.of("0", "1"), m, modelId + "/v" + v, "random", Instant.parse("2026-11-28T10:00:00Z"))));
        }
        await().atMost(Duration.ofSeconds(30)).until(() ->
                Long.valueOf(2).equals(sql.value("SELECT count(*) FROM model WHERE model_id = ?", modelId)));
        return modelId;
    }

    private List<List<Object>> aliasRow(String modelId) {
        return sql.rows("SELECT alias, version, changed_by FROM model_aliases WHERE model_id = ?", modelId);
    }

    @Test
    void aSetAliasIsARowAndPartOfTheModelAndAClearedOneKeepsWhoClearedIt() {
        String modelId = publishedModel();
        Instant t0 = Instant.parse("2026-12-01T10:00:00Z");
        change(ModelAliasChanged.of(modelId, ModelAliasChanged.PRODUCTION, 1, "release-bot", t0));
        await().atMost(Duration.ofSeconds(30)).until(() ->
                aliasRow(modelId).equals(List.of(List.of("production", 1, "release-bot"))));
        assertThat(sql.value("SELECT changed_at FROM model_aliases WHERE model_id = ?", modelId).toString())
                .startsWith("2026-12-01");
        ModelView view = given().get("/api/v1/models/{id}", modelId).then().statusCode(200)
                .extract().as(ModelView.class);
        assertThat(view.aliases()).isEqualTo(Map.of("production", 1));
        assertThat(view.latestVersion()).as("the alias does not change what is newest").isEqualTo(2);
        given().get("/api/v1/models").then().statusCode(200)
                .body("find { it.modelId == '" + modelId + "' }.aliases.production", equalTo(1));

        // moved, then cleared: the row follows, in the topic's order
        change(ModelAliasChanged.of(modelId, ModelAliasChanged.PRODUCTION, 2, "release-bot", t0.plusSeconds(60)));
        change(ModelAliasChanged.of(modelId, ModelAliasChanged.PRODUCTION, null, "ops", t0.plusSeconds(120)));
        await().atMost(Duration.ofSeconds(30)).until(() ->
                aliasRow(modelId).equals(List.of(java.util.Arrays.asList("production", null, "ops"))));
        given().get("/api/v1/models/{id}", modelId).then().statusCode(200).body("aliases", anEmptyMap());
    }

    @Test
    void aRedeliveredChangeLeavesTheSameRow() {
        String modelId = publishedModel();
        ModelAliasChanged set = ModelAliasChanged.of(modelId, ModelAliasChanged.PRODUCTION, 2, "ci", Instant.now());
        change(set);
        change(set);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                aliasRow(modelId).equals(List.of(List.of("production", 2, "ci"))));
        assertThat(sql.value("SELECT count(*) FROM model_aliases WHERE model_id = ?", modelId)).isEqualTo(1L);
    }

    @Test
    void aRecordThatIsNoValidChangeGoesToTheDeadLetterTopicAndLaterChangesAreStillRecorded() throws Exception {
        String poisonKey = "poison-" + System.nanoTime() + "/production";
        send(Topics.MODEL_ALIASES, poisonKey, "{\"schemaVersion\": 2, \"modelId\": \"m\", \"alias\": \"Prod\", "
                + "\"version\": 0, \"changedBy\": \"x\", \"changedAt\": \"2026-12-01T10:00:00Z\"}");
        try (TopicReader deadLetters = new TopicReader(KafkaResource.bootstrapServers(),
                List.of(Topics.deadLetter(Topics.MODEL_ALIASES)))) {
            ConsumerRecord<String, String> found = deadLetters.awaitOne(r -> poisonKey.equals(r.key()),
                    Duration.ofSeconds(30));
            assertThat(new String(found.headers().lastHeader("dead-letter-reason").value()))
                    .contains("alias must be 1-32 lower-case letters").contains("version must be between 1");
        }
        String modelId = publishedModel();
        change(ModelAliasChanged.of(modelId, ModelAliasChanged.PRODUCTION, 1, "ci", Instant.now()));
        await().atMost(Duration.ofSeconds(30)).until(() ->
                aliasRow(modelId).equals(List.of(List.of("production", 1, "ci"))));
    }
}
