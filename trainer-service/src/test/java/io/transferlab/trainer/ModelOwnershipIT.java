package io.transferlab.trainer;

import static io.transferlab.trainer.TrainTopics.awaitResult;
import static io.transferlab.trainer.TrainTopics.mnist;
import static io.transferlab.trainer.TrainTopics.models;
import static io.transferlab.trainer.TrainTopics.newRunId;
import static io.transferlab.trainer.TrainTopics.progress;
import static io.transferlab.trainer.TrainTopics.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.transferlab.contracts.ErrorCode;
import io.transferlab.contracts.SchemaVersion;
import io.transferlab.contracts.model.ModelPublished;
import io.transferlab.contracts.train.RunSpec;
import io.transferlab.contracts.train.RunStatus;
import io.transferlab.contracts.train.TrainRequest;
import io.transferlab.contracts.train.TrainResult;
import io.transferlab.testsupport.KafkaResource;
import io.transferlab.vision.store.ModelCard;
import io.transferlab.vision.store.ModelStore;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Models belong to the API key whose run published them (issue 14.6): a run of another key that would publish the
 * next version ends FAILED with MODEL_OWNED and nothing is published; an admin's run publishes, and the new version
 * is the admin's. Real runs (300 MNIST images, small-cnn, 1 epoch) over a real broker.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(TrainerTestResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ModelOwnershipIT {

    private static final String MODEL_ID = "it-owned-" + System.currentTimeMillis();
    private static final RunSpec SPEC = mnist(300, 100, 1).build();

    private static TrainRequest owned(String runId, String owner, Boolean admin) {
        return new TrainRequest(SchemaVersion.CURRENT, runId, null, MODEL_ID, SPEC, "corr-" + runId, Instant.now(),
                owner, admin);
    }

    private static ModelStore store() {
        return new ModelStore(TrainerTestResource.modelStore());
    }

    @Test
    @Order(1)
    void theFirstVersionRecordsItsOwnerOnTheCardAndInTheAnnouncement() {
        String runId = newRunId("owner-alice");
        send(owned(runId, "alice", null));
        TrainResult result = awaitResult(runId, Duration.ofMinutes(3));
        assertThat(result.status()).as("error: %s", result.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(result.modelVersion()).isEqualTo(1);
        assertThat(store().latest(MODEL_ID).map(ModelCard::owner)).contains("alice");
        await().atMost(Duration.ofSeconds(10)).until(() -> !models(MODEL_ID).isEmpty());
        assertThat(models(MODEL_ID).get(0).owner()).isEqualTo("alice");
    }

    @Test
    @Order(2)
    void anotherKeysRunEndsFailedModelOwnedAndPublishesNothing() {
        String runId = newRunId("owner-bob");
        send(owned(runId, "bob", false));
        TrainResult result = awaitResult(runId, Duration.ofMinutes(3));
        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error().code()).isEqualTo(ErrorCode.MODEL_OWNED);
        assertThat(result.error().message()).startsWith("model '" + MODEL_ID + "' belongs to another key")
                .doesNotContain("alice");
        assertThat(result.modelId()).isNull();
        assertThat(progress(runId)).as("refused before training").isEmpty();
        assertThat(store().versions(MODEL_ID)).extracting(ModelCard::version).containsExactly(1);

        // a request from before owners were recorded (schema version 1) owns nothing either
        String legacyRunId = newRunId("owner-none");
        send(new TrainRequest(1, legacyRunId, null, MODEL_ID, SPEC, "corr-" + legacyRunId, Instant.now()));
        assertThat(awaitResult(legacyRunId, Duration.ofMinutes(3)).error().code()).isEqualTo(ErrorCode.MODEL_OWNED);
        assertThat(store().versions(MODEL_ID)).hasSize(1);
        assertThat(models(MODEL_ID)).extracting(ModelPublished::version).containsOnly(1);
    }

    @Test
    @Order(3)
    void anAdminsRunPublishesOverItAndTheNewVersionIsTheAdmins() {
        String runId = newRunId("owner-root");
        send(owned(runId, "root", true));
        TrainResult result = awaitResult(runId, Duration.ofMinutes(3));
        assertThat(result.status()).as("error: %s", result.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(result.modelVersion()).isEqualTo(2);
        assertThat(store().latest(MODEL_ID).map(ModelCard::owner)).contains("root");
        await().atMost(Duration.ofSeconds(10)).until(() -> models(MODEL_ID).size() == 2);
        assertThat(models(MODEL_ID).get(1).owner()).isEqualTo("root");
    }
}
