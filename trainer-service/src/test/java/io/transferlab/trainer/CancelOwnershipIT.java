package io.transferlab.trainer;

import static io.transferlab.trainer.TrainTopics.awaitResult;
import static io.transferlab.trainer.TrainTopics.cancel;
import static io.transferlab.trainer.TrainTopics.mnist;
import static io.transferlab.trainer.TrainTopics.newRunId;
import static io.transferlab.trainer.TrainTopics.ownedRequest;
import static io.transferlab.trainer.TrainTopics.progress;
import static io.transferlab.trainer.TrainTopics.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.transferlab.contracts.ErrorCode;
import io.transferlab.contracts.train.RunStatus;
import io.transferlab.contracts.train.TrainResult;
import io.transferlab.testsupport.KafkaResource;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Cancels of owned runs are checked where the run lives: only the owner's key or an admin's stops it. The gateway
 * checks too, but lets a cancel through when it cannot ask the tuner who owns the run; these controls come
 * straight from the topic, as such a cancel would.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(TrainerTestResource.class)
class CancelOwnershipIT {

    @Test
    void aCancelFromAnotherKeyOrFromNobodyIsIgnoredAndTheRunCompletes() {
        String runId = newRunId("cancel-not-owner");
        double heard = CancelCounters.heard();
        double refused = CancelCounters.refused();
        cancel(runId, "mine now", "mallory", false);
        cancel(runId, "an old tool"); // version 1: no sender
        await().atMost(Duration.ofSeconds(30)).until(() -> CancelCounters.heard() >= heard + 2);

        send(ownedRequest(runId, mnist(300, 100, 1).build(), "alice"));

        TrainResult result = awaitResult(runId, Duration.ofMinutes(2));
        assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(progress(runId)).hasSize(1);
        assertThat(CancelCounters.refused()).as("both refused, each once").isEqualTo(refused + 2);
    }

    @Test
    void aRunningRunGoesOnAfterAnotherKeysCancelAndStopsForItsOwner() {
        String runId = newRunId("cancel-running-owned");
        send(ownedRequest(runId, mnist(3000, 100, 30).build(), "alice"));
        await().atMost(Duration.ofMinutes(2)).until(() -> !progress(runId).isEmpty());

        double refused = CancelCounters.refused();
        cancel(runId, "mine now", "mallory", false);
        await().atMost(Duration.ofSeconds(30)).until(() -> CancelCounters.refused() >= refused + 1);
        int epochs = progress(runId).size();
        await("the run trains on").atMost(Duration.ofMinutes(2))
                .until(() -> progress(runId).size() > epochs);

        cancel(runId, "the owner stops it", "alice", false);
        TrainResult stopped = awaitResult(runId, Duration.ofMinutes(2));
        assertThat(stopped.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(stopped.error().code()).isEqualTo(ErrorCode.CANCELLED);
        assertThat(stopped.error().message()).contains("the owner stops it").doesNotContain("mine now");
        assertThat(stopped.history()).hasSizeGreaterThan(epochs).hasSizeLessThan(30);
    }

    @Test
    void anAdminMayCancelAnotherKeysRun() {
        String runId = newRunId("cancel-by-admin");
        double heard = CancelCounters.heard();
        double refused = CancelCounters.refused();
        cancel(runId, "operator cleans up", "root", true);
        await().atMost(Duration.ofSeconds(30)).until(() -> CancelCounters.heard() >= heard + 1);

        send(ownedRequest(runId, mnist(300, 100, 1).build(), "alice"));

        TrainResult result = awaitResult(runId, Duration.ofMinutes(2));
        assertThat(result.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(result.error().message()).contains("operator cleans up");
        assertThat(progress(runId)).isEmpty();
        assertThat(CancelCounters.refused()).isEqualTo(refused);
    }
}
