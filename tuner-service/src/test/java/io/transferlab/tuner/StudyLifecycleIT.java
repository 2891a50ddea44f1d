package io.transferlab.tuner;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.transferlab.contracts.Ids;
import io.transferlab.contracts.MessageHeaders;
import io.transferlab.contracts.Requester;
import io.transferlab.contracts.SchemaVersion;
import io.transferlab.contracts.Topics;
import io.transferlab.contracts.json.Json;
import io.transferlab.contracts.model.ModelPublished;
import io.transferlab.contracts.query.ModelView;
import io.transferlab.contracts.query.StudyStatus;
import io.transferlab.contracts.query.StudyView;
import io.transferlab.contracts.train.ControlAction;
import io.transferlab.contracts.train.FinalMetrics;
import io.transferlab.contracts.train.TrainControl;
import io.transferlab.contracts.train.TrainRequest;
import io.transferlab.contracts.tune.Objective;
import io.transferlab.contracts.tune.ParamSpace;
import io.transferlab.contracts.tune.RandomSearch;
import io.transferlab.contracts.tune.Trial;
import io.transferlab.contracts.tune.TrialPlanner;
import io.transferlab.contracts.tune.TuneControl;
import io.transferlab.contracts.tune.TuneRequest;
import io.transferlab.testsupport.KafkaResource;
import io.transferlab.testsupport.PostgresResource;
import io.transferlab.testsupport.Sql;
import io.transferlab.tuner.support.FakeTrainer;
import io.transferlab.tuner.support.Messages;
import io.transferlab.tuner.support.TopicReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** Cancel, rejection, dead letters, random search, models and the API's errors, through the real broker. */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
class StudyLifecycleIT {

    @InjectKafkaCompanion
    KafkaCompanion kafka;

    private final Sql sql = Sql.shared();

    private void send(String topic, String key, Object message) {
        kafka.produceStrings().fromRecords(new ProducerRecord<>(topic, key,
                message instanceof String s ? s : Json.write(message))).awaitCompletion();
    }

    private ConsumerTask<String, String> watch(String topic, Set<String> keys) {
        return kafka.consumeStrings().withOffsetReset(OffsetResetStrategy.EARLIEST)
                .fromTopics(Set.of(topic), m -> m.select().where(r -> keys.contains(r.key())));
    }

    private String studyStatus(String studyId) {
        return (String) sql.value("SELECT status FROM study WHERE study_id = ?", studyId);
    }

    @Test
    void cancelNeverStartsQueuedTrialsAndCancelsTheRunningOnes() {
        String studyId = Ids.newStudyId();
        try (FakeTrainer trainer = new FakeTrainer(kafka, studyId)) {
            send(Topics.TUNE_REQUESTS, studyId, Messages.grid(studyId, Messages.chapterGrid(), 2, "corr-cancel"));
            await().atMost(Duration.ofSeconds(30)).until(() -> trainer.count() == 2);
            List<TrainRequest> running = trainer.received();
            Set<String> runningIds = Set.of(running.get(0).runId(), running.get(1).runId());

            try (ConsumerTask<String, String> controls = watch(Topics.TRAIN_CONTROL, runningIds)) {
                TuneControl cancel = new TuneControl(1, studyId, ControlAction.CANCEL, "enough", Instant.now());
                send(Topics.TUNE_CONTROL, studyId, cancel);
                controls.awaitRecords(2, Duration.ofSeconds(30));
                for (ConsumerRecord<String, String> r : controls.getRecords()) {
                    TrainControl control = Json.read(r.value(), TrainControl.class);
                    assertThat(control.runId()).isEqualTo(r.key()).isIn(runningIds);
                    assertThat(control.action()).isEqualTo(ControlAction.CANCEL);
                    assertThat(control.reason()).contains(studyId).contains("enough");
                }
                assertThat(studyStatus(studyId)).isEqualTo("CANCELLED");

                // The trainer confirms; a redelivered cancel sends nothing twice; no queued trial ever starts.
                running.forEach(r -> trainer.finish(Messages.cancelled(r)));
                send(Topics.TUNE_CONTROL, studyId, cancel);
                await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6))
                        .until(() -> trainer.count() == 2 && controls.count() == 2);
            }
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    Long.valueOf(8).equals(sql.value("SELECT runs_cancelled FROM study_overview WHERE study_id = ?", studyId)));
            assertThat(sql.value("SELECT count(*) FROM run WHERE study_id = ? AND error_message LIKE '%%never%%'"
                    .replace("%%never%%", "%before this trial was dispatched%"), studyId)).isEqualTo(6L);
            assertThat(sql.value("SELECT count(*) FROM trial WHERE study_id = ? AND dispatched_at IS NOT NULL", studyId))
                    .isEqualTo(2L);
        }
        StudyView view = given().get("/api/v1/studies/{id}", studyId).then().statusCode(200).extract().as(StudyView.class);
        assertThat(view.status()).isEqualTo(StudyStatus.CANCELLED);
        assertThat(view.runsByStatus()).containsEntry("CANCELLED", 8);
        assertThat(view.bestRunId()).isNull();
    }

    @Test
    void aCancelThatOvertakesItsRequestMeansNothingIsEverDispatched() {
        String studyId = Ids.newStudyId();
        try (FakeTrainer trainer = new FakeTrainer(kafka, studyId)) {
            send(Topics.TUNE_CONTROL, studyId, new TuneControl(1, studyId, ControlAction.CANCEL, "changed my mind", Instant.now()));
            await().atMost(Duration.ofSeconds(30)).until(() -> "CANCELLED".equals(studyStatus(studyId)));

            Map<String, List<Object>> grid = new LinkedHashMap<>();
            grid.put("optimizer", List.of("adam", "rmsprop"));
            grid.put("dropout", List.of(0.0, 0.5));
            send(Topics.TUNE_REQUESTS, studyId, Messages.grid(studyId, grid, 4, null));
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    Integer.valueOf(4).equals(sql.value("SELECT trial_count FROM study WHERE study_id = ?", studyId)));
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6)).until(() -> trainer.count() == 0);
        }
        assertThat(studyStatus(studyId)).isEqualTo("CANCELLED");
        assertThat(sql.rows("SELECT status, count(*) FROM run WHERE study_id = ? GROUP BY status", studyId))
                .containsExactly(List.of("CANCELLED", 4L));
        assertThat(sql.value("SELECT cancel_reason FROM study WHERE study_id = ?", studyId)).isEqualTo("changed my mind");
    }

    private static TuneControl cancelFrom(String studyId, String reason, String requester, boolean admin) {
        return new TuneControl(SchemaVersion.CURRENT, studyId, ControlAction.CANCEL, reason, Instant.now(), requester,
                admin ? Boolean.TRUE : null);
    }

    @Test
    void aCancelFromAnotherKeyIsIgnoredAndTheOwnersCancelsTheStudyForItsOwner() {
        String studyId = Ids.newStudyId();
        try (FakeTrainer trainer = new FakeTrainer(kafka, studyId)) {
            send(Topics.TUNE_REQUESTS, studyId, Messages.grid(studyId, Messages.chapterGrid(), 2, null, "alice", false));
            await().atMost(Duration.ofSeconds(30)).until(() -> trainer.count() == 2);
            Set<String> runningIds = Set.of(trainer.received().get(0).runId(), trainer.received().get(1).runId());

            try (ConsumerTask<String, String> controls = watch(Topics.TRAIN_CONTROL, runningIds)) {
                // same key, same partition: consumed in this order
                send(Topics.TUNE_CONTROL, studyId, cancelFrom(studyId, "mine now", "mallory", false));
                send(Topics.TUNE_CONTROL, studyId, new TuneControl(1, studyId, ControlAction.CANCEL, "old tool",
                        Instant.now()));
                await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6))
                        .until(() -> "RUNNING".equals(studyStatus(studyId)) && controls.count() == 0);

                send(Topics.TUNE_CONTROL, studyId, cancelFrom(studyId, "enough", "alice", false));
                controls.awaitRecords(2, Duration.ofSeconds(30));
                for (ConsumerRecord<String, String> r : controls.getRecords()) {
                    TrainControl control = Json.read(r.value(), TrainControl.class);
                    assertThat(control.reason()).contains("enough").doesNotContain("mine now");
                    assertThat(control.requester()).as("the tuner acts for the study's owner").isEqualTo("alice");
                    assertThat(control.requesterIsAdmin()).isNull();
                }
            }
        }
        assertThat(studyStatus(studyId)).isEqualTo("CANCELLED");
        assertThat(sql.value("SELECT cancel_reason FROM study WHERE study_id = ?", studyId))
                .as("the refused cancels recorded nothing").isEqualTo("enough");
    }

    @Test
    void anAdminMayCancelAnotherKeysStudy() {
        String studyId = Ids.newStudyId();
        try (FakeTrainer trainer = new FakeTrainer(kafka, studyId)) {
            send(Topics.TUNE_REQUESTS, studyId, Messages.grid(studyId, Map.of("dropout", List.of(0.2)), 1, null,
                    "alice", true));
            await().atMost(Duration.ofSeconds(30)).until(() -> trainer.count() == 1);
            String runId = trainer.received().get(0).runId();
            try (ConsumerTask<String, String> controls = watch(Topics.TRAIN_CONTROL, Set.of(runId))) {
                send(Topics.TUNE_CONTROL, studyId, cancelFrom(studyId, "operator cleans up", "root", true));
                controls.awaitRecords(1, Duration.ofSeconds(30));
                TrainControl control = Json.read(controls.getFirstRecord().value(), TrainControl.class);
                assertThat(control.requestedBy()).as("the study's owner, with its admin role")
                        .isEqualTo(new Requester("alice", true));
            }
        }
        assertThat(studyStatus(studyId)).isEqualTo("CANCELLED");
    }

    @Test
    void aCancelThatOvertakesItsRequestStandsOnlyWhenItsSenderMayActOnTheOwner() {
        String strangers = Ids.newStudyId();
        String owners = Ids.newStudyId();
        try (FakeTrainer trainer = new FakeTrainer(kafka, strangers);
                FakeTrainer ownersTrainer = new FakeTrainer(kafka, owners)) {
            send(Topics.TUNE_CONTROL, strangers, cancelFrom(strangers, "mine now", "mallory", false));
            send(Topics.TUNE_CONTROL, owners, cancelFrom(owners, "changed my mind", "alice", false));
            await().atMost(Duration.ofSeconds(30)).until(() -> "CANCELLED".equals(studyStatus(strangers))
                    && "CANCELLED".equals(studyStatus(owners)));
            assertThat(sql.value("SELECT cancel_requester FROM study WHERE study_id = ?", strangers))
                    .isEqualTo("mallory");

            send(Topics.TUNE_REQUESTS, strangers, Messages.grid(strangers, Map.of("dropout", List.of(0.2)), 1, null,
                    "alice", false));
            send(Topics.TUNE_REQUESTS, owners, Messages.grid(owners, Map.of("dropout", List.of(0.2)), 1, null,
                    "alice", false));
            await("the stranger's early cancel is dropped").atMost(Duration.ofSeconds(30))
                    .until(() -> trainer.count() == 1);
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6))
                    .until(() -> ownersTrainer.count() == 0);
        }
        assertThat(studyStatus(strangers)).isEqualTo("RUNNING");
        assertThat(sql.value("SELECT cancel_reason FROM study WHERE study_id = ?", strangers)).isNull();
        assertThat(studyStatus(owners)).isEqualTo("CANCELLED");
        assertThat(sql.rows("SELECT status, count(*) FROM run WHERE study_id = ? GROUP BY status", owners))
                .containsExactly(List.of("CANCELLED", 1L));
    }

    @Test
    void aRequestThatBreaksTheContractIsRecordedAsRejectedWithEveryViolation() {
        String studyId = Ids.newStudyId();
        Map<String, List<Object>> grid = new LinkedHashMap<>();
        grid.put("denseUnit", List.of(64));
        grid.put("dropout", List.of(1.5));
        TuneRequest bad = new TuneRequest(1, studyId, "bad", Messages.baseSpec(), grid, null, 0,
                new Objective("val_accuracy", "maximize"), null, Instant.now());
        try (FakeTrainer trainer = new FakeTrainer(kafka, studyId)) {
            send(Topics.TUNE_REQUESTS, studyId, bad);
            await().atMost(Duration.ofSeconds(30)).until(() -> "REJECTED".equals(studyStatus(studyId)));
            assertThat(trainer.count()).isZero();
        }
        assertThat(sql.value("SELECT jsonb_array_length(rejection) FROM study WHERE study_id = ?", studyId)).isEqualTo(3);
        given().get("/api/v1/studies/{id}", studyId).then().statusCode(200)
                .body("status", equalTo("REJECTED"))
                .body("error.code", equalTo("INVALID_SPEC"))
                .body("error.message", containsString("maxParallel must be between 1 and 64"))
                .body("error.message", containsString("grid.denseUnit is not a flag"))
                .body("error.message", containsString("grid.dropout[0] must be in [0, 1)"));
        given().get("/api/v1/studies?status=REJECTED").then().statusCode(200).body("studyId", hasItem(studyId));

        // Without a study id in the message, the record key names the study.
        String keyed = Ids.newStudyId();
        send(Topics.TUNE_REQUESTS, keyed, Json.write(Messages.grid(null, Messages.chapterGrid(), 2, null)));
        await().atMost(Duration.ofSeconds(30)).until(() -> "REJECTED".equals(studyStatus(keyed)));
        given().get("/api/v1/studies/{id}", keyed).then().body("error.message", containsString("studyId is required"));
    }

    @Test
    void unreadableMessagesGoToTheirDeadLetterTopicsAndConsumingGoesOn() {
        String poisonKey = "poison-" + System.nanoTime();
        String anonymous = Json.write(Messages.grid(null, Messages.chapterGrid(), 2, null));
        try (TopicReader dlq = new TopicReader(KafkaResource.bootstrapServers(),
                List.of(Topics.deadLetter(Topics.TUNE_REQUESTS), Topics.deadLetter(Topics.TUNE_CONTROL)))) {
            send(Topics.TUNE_REQUESTS, poisonKey, "{\"studyId\": \"x\", \"grid\": ");
            send(Topics.TUNE_REQUESTS, null, anonymous);
            send(Topics.TUNE_CONTROL, poisonKey, "{\"schemaVersion\": 1, \"action\": \"CANCEL\"}");

            ConsumerRecord<String, String> unparseable = dlq.awaitOne(r -> poisonKey.equals(r.key())
                    && r.topic().equals(Topics.deadLetter(Topics.TUNE_REQUESTS)), Duration.ofSeconds(30));
            assertThat(header(unparseable, MessageHeaders.DEAD_LETTER_REASON)).contains("malformed JSON");
            ConsumerRecord<String, String> nameless = dlq.awaitOne(r -> r.key() == null && anonymous.equals(r.value()),
                    Duration.ofSeconds(30));
            assertThat(header(nameless, MessageHeaders.DEAD_LETTER_REASON)).contains("usable studyId");
            ConsumerRecord<String, String> control = dlq.awaitOne(r -> poisonKey.equals(r.key())
                    && r.topic().equals(Topics.deadLetter(Topics.TUNE_CONTROL)), Duration.ofSeconds(30));
            assertThat(header(control, MessageHeaders.DEAD_LETTER_REASON)).contains("studyId is required");
        }
        String studyId = Ids.newStudyId();
        try (FakeTrainer trainer = new FakeTrainer(kafka, studyId)) {
            send(Topics.TUNE_REQUESTS, studyId, Messages.grid(studyId, Map.of("dropout", List.of(0.2)), 1, null));
            await("the channel still consumes").atMost(Duration.ofSeconds(30)).until(() -> trainer.count() == 1);
        }
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    @Test
    void aRandomSearchDispatchesItsSeededSample() {
        String studyId = Ids.newStudyId();
        Map<String, ParamSpace> space = new LinkedHashMap<>();
        space.put("learningRate", new ParamSpace(null, 1e-4, 1e-2, true, false));
        space.put("optimizer", new ParamSpace(List.of("adam", "rmsprop", "sgd"), null, null, null, null));
        TuneRequest request = new TuneRequest(1, studyId, "random", Messages.baseSpec(), null,
                new RandomSearch(5, 7L, space), 5, new Objective("val_loss", null), null, Instant.now());
        List<Trial> plan = TrialPlanner.plan(request);
        try (FakeTrainer trainer = new FakeTrainer(kafka, studyId)) {
            send(Topics.TUNE_REQUESTS, studyId, request);
            await().atMost(Duration.ofSeconds(30)).until(() -> trainer.count() == 5);
            assertThat(trainer.received()).extracting(TrainRequest::spec)
                    .containsExactlyInAnyOrderElementsOf(plan.stream().map(Trial::spec).toList());
        }
        assertThat(sql.rows("SELECT search, trial_count, objective_metric, objective_direction FROM study WHERE study_id = ?",
                studyId)).containsExactly(List.of("random", 5, "val_loss", "minimize"));
        StudyView view = given().get("/api/v1/studies/{id}", studyId).then().statusCode(200).extract().as(StudyView.class);
        assertThat(view.random().seed()).isEqualTo(7L);
        assertThat(view.runs()).hasSize(5).allSatisfy(r -> assertThat(r.flags()).containsOnlyKeys(
                "flag_learning_rate", "flag_optimizer"));
    }

    @Test
    void everyPublishedModelVersionIsRecordedAndServed() {
        String modelId = "digits-" + System.nanoTime();
        FinalMetrics m = new FinalMetrics(0.2, 0.95, 0.25, 0.93, 0.27, 0.92);
        ModelPublished v1 = new ModelPublished(1, modelId, 1, "run-a", Messages.baseSpec(), List.of("0", "1"), m,
                modelId + "/1", "random", Instant.parse("2026-11-28T10:00:00Z"));
        // v1 from before owners were recorded (schema version 1), v2 published by bob's run
        ModelPublished v2 = new ModelPublished(2, modelId, 2, "run-b", Messages.baseSpec(), List.of("0", "1"), m,
                modelId + "/2", "run:run-a", Instant.parse("2026-11-28T11:00:00Z"), "bob");
        send(Topics.MODELS, modelId, v1);
        send(Topics.MODELS, modelId, v2);
        send(Topics.MODELS, modelId, v2);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                Long.valueOf(2).equals(sql.value("SELECT count(*) FROM model WHERE model_id = ?", modelId)));

        ModelView view = given().get("/api/v1/models/{id}", modelId).then().statusCode(200).extract().as(ModelView.class);
        assertThat(view.latestVersion()).isEqualTo(2);
        assertThat(view.versions()).containsExactly(1, 2);
        assertThat(view.latest().runId()).isEqualTo("run-b");
        assertThat(view.latest().lineage()).isEqualTo("run:run-a");
        assertThat(view.owner()).as("the latest version's owner owns the model").isEqualTo("bob");
        assertThat(view.latest().owner()).isEqualTo("bob");
        given().get("/api/v1/models").then().statusCode(200).body("modelId", hasItem(modelId));
        assertThat(sql.rows("SELECT version, dataset, test_accuracy, owner FROM model WHERE model_id = ? ORDER BY version",
                modelId)).containsExactly(java.util.Arrays.asList(1, "mnist", 0.92, null), List.of(2, "mnist", 0.92, "bob"));
    }

    @Test
    void unknownIdsAndBadParametersAnswerProblems() {
        for (String path : List.of("/api/v1/studies/nope", "/api/v1/runs/nope", "/api/v1/models/nope")) {
            given().get(path).then().statusCode(404)
                    .contentType(startsWith("application/problem+json"))
                    .body("type", endsWith("/not-found"))
                    .body("detail", containsString("'nope'"));
        }
        given().get("/api/v1/runs?limit=0").then().statusCode(400).contentType(startsWith("application/problem+json"))
                .body("violations[0].path", equalTo("limit"));
        given().get("/api/v1/studies?status=DONE").then().statusCode(400)
                .body("violations[0].message", containsString("RUNNING, COMPLETED, CANCELLED, REJECTED"));
        given().get("/api/v1/runs?status=WALKING").then().statusCode(400)
                .body("violations[0].message", containsString("SUCCEEDED"));
    }

    @Test
    void theOpenApiDocumentDescribesEveryEndpoint() {
        String doc = given().get("/q/openapi?format=json").then().statusCode(200).extract().asString();
        assertThat(doc).contains("\"/api/v1/studies\"", "\"/api/v1/studies/{id}\"", "\"/api/v1/runs\"",
                "\"/api/v1/runs/{id}\"", "\"/api/v1/models\"", "\"/api/v1/models/{id}\"");
    }
}
