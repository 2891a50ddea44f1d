package io.transferlab.trainer;

import static io.restassured.RestAssured.given;
import static io.transferlab.trainer.TrainTopics.awaitResult;
import static io.transferlab.trainer.TrainTopics.deadLetters;
import static io.transferlab.trainer.TrainTopics.header;
import static io.transferlab.trainer.TrainTopics.mnist;
import static io.transferlab.trainer.TrainTopics.newRunId;
import static io.transferlab.trainer.TrainTopics.progress;
import static io.transferlab.trainer.TrainTopics.request;
import static io.transferlab.trainer.TrainTopics.send;
import static io.transferlab.trainer.TrainTopics.sendRaw;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.transferlab.contracts.ErrorCode;
import io.transferlab.contracts.MessageHeaders;
import io.transferlab.contracts.train.RunSpec;
import io.transferlab.contracts.train.RunStatus;
import io.transferlab.contracts.train.TrainRequest;
import io.transferlab.contracts.train.TrainResult;
import io.transferlab.testsupport.KafkaResource;
import io.transferlab.testsupport.ManagementEndpoints;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** Messages that are not train requests, requests that break the contract, and runs that throw. */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(TrainerTestResource.class)
class BadInputIT {

    @Test
    void unparseableRequestGoesToTheDeadLetterTopicWithItsReasonAndConsumingGoesOn() {
        String garbage = "poison-" + System.nanoTime();
        String unknownField = "poison-field-" + System.nanoTime();
        sendRaw(garbage, "{this is not json", "corr-poison");
        sendRaw(unknownField, "{\"schemaVersion\":1,\"runId\":\"" + unknownField + "\",\"colour\":\"red\"}", null);

        await().atMost(Duration.ofSeconds(60)).until(() -> !deadLetters(garbage).isEmpty()
                && !deadLetters(unknownField).isEmpty());
        ConsumerRecord<String, String> dead = deadLetters(garbage).get(0);
        assertThat(dead.value()).isEqualTo("{this is not json");
        assertThat(header(dead, MessageHeaders.DEAD_LETTER_REASON)).contains("malformed JSON for TrainRequest");
        assertThat(header(dead, MessageHeaders.CORRELATION_ID)).isEqualTo("corr-poison");
        assertThat(header(deadLetters(unknownField).get(0), MessageHeaders.DEAD_LETTER_REASON))
                .contains("unknown field 'colour'");

        // the consumer goes on with the next request
        String next = newRunId("after-poison");
        send(request(next, null, mnist(100, 50, 1).build()));
        assertThat(awaitResult(next, Duration.ofMinutes(2)).status()).isEqualTo(RunStatus.SUCCEEDED);
    }

    @Test
    void requestWithoutAUsableRunIdIsDeadLetteredBecauseNoResultCouldBeMatched() {
        String key = "poison-no-run-id-" + System.nanoTime();
        sendRaw(key, "{\"schemaVersion\":1,\"runId\":\"../../etc\",\"spec\":{\"dataset\":\"mnist\"}}", null);

        await().atMost(Duration.ofSeconds(60)).until(() -> !deadLetters(key).isEmpty());
        assertThat(header(deadLetters(key).get(0), MessageHeaders.DEAD_LETTER_REASON)).contains("usable runId");
    }

    @Test
    void requestThatBreaksTheContractFailsWithEveryViolation() {
        String runId = newRunId("invalid");
        RunSpec spec = RunSpec.builder().dataset("mnist").epochs(0).batchSize(0).optimizer("nadam").build();
        send(new TrainRequest(1, runId, null, "imagenet-mine", spec, null, Instant.now()));

        TrainResult result = awaitResult(runId, Duration.ofMinutes(1));
        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error().code()).isEqualTo(ErrorCode.INVALID_SPEC);
        assertThat(result.error().message())
                .contains("spec.epochs", "spec.batchSize", "spec.optimizer", "modelId must not start with 'imagenet-'");
        assertThat(result.trainerId()).isEqualTo(TrainerTestResource.TRAINER_ID);
        assertThat(result.device()).isEqualTo("cpu()");
        assertThat(progress(runId)).isEmpty();
    }

    @Test
    void runsThatThrowFailWithTheirErrorCodeAndAReadableReason() {
        String unknownData = newRunId("no-data");
        String noWeights = newRunId("no-weights");
        send(request(unknownData, null, RunSpec.builder().dataset("dataset:never-uploaded").epochs(1).build()));
        send(request(noWeights, null, mnist(100, 50, 1).backbone("resnet18").weights("imagenet").imageSize(64)
                .build()));

        TrainResult missingData = awaitResult(unknownData, Duration.ofMinutes(1));
        assertThat(missingData.status()).isEqualTo(RunStatus.FAILED);
        assertThat(missingData.error().code()).isEqualTo(ErrorCode.UNKNOWN_DATASET);
        assertThat(missingData.error().message()).contains("never-uploaded");

        TrainResult missingWeights = awaitResult(noWeights, Duration.ofMinutes(1));
        assertThat(missingWeights.status()).isEqualTo(RunStatus.FAILED);
        assertThat(missingWeights.error().code()).isEqualTo(ErrorCode.MISSING_WEIGHTS);
        assertThat(missingWeights.error().message()).containsIgnoringCase("resnet18");

        String metrics = given().get(ManagementEndpoints.metrics()).then().statusCode(200).extract().asString();
        assertThat(metrics)
                .containsPattern("transferlab_trainer_runs_failed_total\\{code=\"UNKNOWN_DATASET\"\\} [1-9]")
                .containsPattern("transferlab_trainer_runs_failed_total\\{code=\"MISSING_WEIGHTS\"\\} [1-9]");
    }

    @Test
    void runWhoseMemoryEstimateExceedsTheBudgetFailsWithResourceLimitAndTheNumbers() {
        // the example: ResNet-50 trained at 1024 px in batches of 4096 needs terabytes
        String runId = newRunId("too-big");
        send(request(runId, null, mnist(100, 50, 1).backbone("resnet50").weights("random").freeze(false)
                .imageSize(1024).batchSize(4096).build()));

        TrainResult result = awaitResult(runId, Duration.ofMinutes(1));
        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error().code()).isEqualTo(ErrorCode.RESOURCE_LIMIT);
        assertThat(result.error().message()).contains("activations").contains("batch 4096")
                .contains("memory budget").contains("MiB");
        assertThat(progress(runId)).isEmpty();
    }
}
