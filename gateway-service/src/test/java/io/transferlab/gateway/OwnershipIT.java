package io.transferlab.gateway;

import static io.transferlab.gateway.TestKeys.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.transferlab.contracts.Requester;
import io.transferlab.contracts.Topics;
import io.transferlab.contracts.json.Json;
import io.transferlab.contracts.train.RunStatus;
import io.transferlab.contracts.train.TrainControl;
import io.transferlab.contracts.train.TrainRequest;
import io.transferlab.contracts.tune.TuneControl;
import io.transferlab.contracts.tune.TuneRequest;
import io.transferlab.gateway.standin.TunerStandIn;
import io.transferlab.testsupport.KafkaResource;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Runs, studies and models belong to the key that started them (issue 14.6): another key's training into an owned
 * model answers 409, its cancel of another key's run or study 403, unless it holds the admin role; the owner goes
 * out in the train and tune requests. The tuner is the stand-in, the broker real. Key names: {@code trainer}
 * (TestKeys.TRAIN), {@code other-trainer} (OTHER_TRAIN), {@code operator} (ADMIN, roles train+admin).
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(TunerStandIn.class)
class OwnershipIT {

    private static final AtomicLong SEQ = new AtomicLong();

    @InjectKafkaCompanion
    KafkaCompanion kafka;

    private static String id(String prefix) {
        return prefix + "-20990101-000000-" + String.format("%08x", System.nanoTime() + SEQ.incrementAndGet())
                .substring(0, 8);
    }

    private ConsumerRecord<String, String> first(String topic, String key) {
        ConsumerTask<String, String> task = kafka.consumeStrings()
                .fromTopics(topic, m -> m.filter(r -> key.equals(r.key()))).awaitNextRecord(Duration.ofSeconds(20));
        ConsumerRecord<String, String> r = task.getFirstRecord();
        task.stop();
        return r;
    }

    private static String train(String key, String modelId, int expectedStatus) {
        return as(key).contentType("application/json")
                .body("{\"spec\":{\"dataset\":\"mnist\",\"trainSize\":500,\"epochs\":1},\"modelId\":\"" + modelId + "\"}")
                .when().post("/api/v1/trainings")
                .then().statusCode(expectedStatus).extract().path(expectedStatus == 202 ? "runId" : "detail");
    }

    private TrainRequest published(String runId) {
        return Json.read(first(Topics.TRAIN_REQUESTS, runId).value(), TrainRequest.class);
    }

    @Test
    void anotherKeysTrainingIntoAnOwnedModelAnswers409AndTheOwnerOrAnAdminGoAhead() {
        String modelId = "owned-" + SEQ.incrementAndGet();
        TunerStandIn.serve("/api/v1/models/" + modelId, Views.model(modelId, "trainer"));

        as(TestKeys.OTHER_TRAIN).contentType("application/json")
                .body("{\"spec\":{\"dataset\":\"mnist\",\"epochs\":1},\"modelId\":\"" + modelId + "\"}")
                .when().post("/api/v1/trainings")
                .then().statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("https://transferlab.io/problems/model-owned"))
                .body("title", equalTo("Conflict"))
                .body("detail", startsWith("model '" + modelId + "' belongs to another key"))
                .body("detail", not(containsString("trainer")));

        TrainRequest byOwner = published(train(TestKeys.TRAIN, modelId, 202));
        assertThat(byOwner.owner()).as("the owner passes through").isEqualTo("trainer");
        assertThat(byOwner.ownerIsAdmin()).isNull();

        TrainRequest byAdmin = published(train(TestKeys.ADMIN, modelId, 202));
        assertThat(byAdmin.owner()).isEqualTo("operator");
        assertThat(byAdmin.ownerIsAdmin()).as("the trainer lets it publish over another key's model").isTrue();
    }

    @Test
    void modelsWithoutOwnerNewModelIdsAndNoModelIdAreAnyonesToStart() {
        String legacy = "legacy-" + SEQ.incrementAndGet();
        TunerStandIn.serve("/api/v1/models/" + legacy, Views.model(legacy, null));
        assertThat(published(train(TestKeys.OTHER_TRAIN, legacy, 202)).owner()).isEqualTo("other-trainer");
        assertThat(published(train(TestKeys.OTHER_TRAIN, "brand-new-" + SEQ.incrementAndGet(), 202)).owner())
                .isEqualTo("other-trainer");
        String runId = as(TestKeys.OTHER_TRAIN).contentType("application/json")
                .body("{\"spec\":{\"dataset\":\"mnist\",\"epochs\":1}}").when().post("/api/v1/trainings")
                .then().statusCode(202).extract().path("runId");
        assertThat(published(runId).owner()).isEqualTo("other-trainer");
    }

    @Test
    void anotherKeysCancelOfARunAnswers403AndTheOwnerAndAnAdminMayCancel() {
        String runId = id("run");
        TunerStandIn.serve("/api/v1/runs/" + runId, Views.run(runId, RunStatus.RUNNING, 1, "trainer"));

        as(TestKeys.OTHER_TRAIN).delete("/api/v1/trainings/" + runId).then().statusCode(403)
                .contentType("application/problem+json")
                .body("type", equalTo("https://transferlab.io/problems/not-owner"))
                .body("detail", equalTo("run '" + runId + "' belongs to another key: only that key, or a key with "
                        + "the admin role, may cancel it"));

        as(TestKeys.ADMIN).delete("/api/v1/trainings/" + runId).then().statusCode(202);
        TrainControl control = Json.read(first(Topics.TRAIN_CONTROL, runId).value(), TrainControl.class);
        assertThat(control.reason()).contains("operator");
        assertThat(control.requester()).as("the trainer checks the sender again").isEqualTo("operator");
        assertThat(control.requesterIsAdmin()).isTrue();
        as(TestKeys.TRAIN).delete("/api/v1/trainings/" + runId).then().statusCode(202);

        // a run recorded before owners were belongs to nobody: any train key may cancel it
        String legacy = id("run");
        TunerStandIn.serve("/api/v1/runs/" + legacy, Views.run(legacy, RunStatus.RUNNING, 1, null));
        as(TestKeys.OTHER_TRAIN).delete("/api/v1/trainings/" + legacy).then().statusCode(202);
    }

    @Test
    void anotherKeysCancelOfAStudyAnswers403AndTheOwnerAndAnAdminMayCancel() {
        String studyId = id("study");
        TunerStandIn.serve("/api/v1/studies/" + studyId, Views.study(studyId, 2, List.of(), "trainer"));

        as(TestKeys.OTHER_TRAIN).delete("/api/v1/tunings/" + studyId).then().statusCode(403)
                .contentType("application/problem+json")
                .body("detail", startsWith("study '" + studyId + "' belongs to another key"));
        as(TestKeys.ADMIN).delete("/api/v1/tunings/" + studyId).then().statusCode(202);
        TuneControl control = Json.read(first(Topics.TUNE_CONTROL, studyId).value(), TuneControl.class);
        assertThat(control.reason()).contains("operator");
        assertThat(control.requestedBy()).as("the tuner checks the sender again").isEqualTo(
                new Requester("operator", true));
        as(TestKeys.TRAIN).delete("/api/v1/tunings/" + studyId).then().statusCode(202);
    }

    @Test
    void aStudyBelongsToItsKeyFromTheMomentItIsQueued() {
        String studyId = as(TestKeys.TRAIN).contentType("application/json")
                .body("{\"baseSpec\":{\"dataset\":\"mnist\",\"epochs\":1},\"grid\":{\"dropout\":[0.1,0.3]}}")
                .when().post("/api/v1/tunings").then().statusCode(202).extract().path("studyId");
        TuneRequest request = Json.read(first(Topics.TUNE_REQUESTS, studyId).value(), TuneRequest.class);
        assertThat(request.owner()).isEqualTo("trainer");
        assertThat(request.ownerIsAdmin()).isNull();
        // the tuner has not recorded it (the stand-in answers 404): this gateway's own record of it decides
        as(TestKeys.TRAIN).get("/api/v1/tunings/" + studyId).then().statusCode(200).body("owner", equalTo("trainer"));
        as(TestKeys.OTHER_TRAIN).delete("/api/v1/tunings/" + studyId).then().statusCode(403);
        as(TestKeys.TRAIN).delete("/api/v1/tunings/" + studyId).then().statusCode(202);
    }

    @Test
    void withTheTunerUnreachableTrainingsGoAheadAndOnlyRunsQueuedHereAreOwnerChecked() {
        String modelId = "owned-away-" + SEQ.incrementAndGet();
        TunerStandIn.serve("/api/v1/models/" + modelId, Views.model(modelId, "trainer"));
        String queuedHere = train(TestKeys.TRAIN, "mine-" + SEQ.incrementAndGet(), 202);
        TunerStandIn.stopServer();
        try {
            // the trainer refuses it at publish time (MODEL_OWNED); the gateway cannot know the owner now
            assertThat(published(train(TestKeys.OTHER_TRAIN, modelId, 202)).owner()).isEqualTo("other-trainer");
            as(TestKeys.OTHER_TRAIN).delete("/api/v1/trainings/" + queuedHere).then().statusCode(403);
            String elsewhere = id("run");
            as(TestKeys.OTHER_TRAIN).delete("/api/v1/trainings/" + elsewhere).then().statusCode(202);
            // let through here, it names its sender: the trainer refuses it if the run is another key's
            TrainControl control = Json.read(first(Topics.TRAIN_CONTROL, elsewhere).value(), TrainControl.class);
            assertThat(control.requester()).isEqualTo("other-trainer");
            assertThat(control.requesterIsAdmin()).as("absent: not an admin").isNull();
            String studyElsewhere = id("study");
            as(TestKeys.OTHER_TRAIN).delete("/api/v1/tunings/" + studyElsewhere).then().statusCode(202);
            assertThat(Json.read(first(Topics.TUNE_CONTROL, studyElsewhere).value(), TuneControl.class)
                    .requestedBy()).isEqualTo(new Requester("other-trainer", false));
        } finally {
            TunerStandIn.startServer();
        }
    }
}
