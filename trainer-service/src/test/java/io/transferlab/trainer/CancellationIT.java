package io.transferlab.trainer;

import static io.transferlab.trainer.TrainTopics.awaitResult;
import static io.transferlab.trainer.TrainTopics.cancel;
import static io.transferlab.trainer.TrainTopics.mnist;
import static io.transferlab.trainer.TrainTopics.newRunId;
import static io.transferlab.trainer.TrainTopics.progress;
import static io.transferlab.trainer.TrainTopics.request;
import static io.transferlab.trainer.TrainTopics.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.transferlab.contracts.ErrorCode;
import io.transferlab.contracts.train.RunStatus;
import io.transferlab.contracts.train.TrainResult;
import io.transferlab.testsupport.KafkaResource;
import io.transferlab.vision.store.ModelStore;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Cancels on {@code vision.train.control}: for a running run, a queued one, and one whose cancel came first. */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(TrainerTestResource.class)
class CancellationIT {

    @Test
    void cancelStopsARunningRunBetweenBatchesAndAQueuedRunBeforeItStarts() {
        String running = newRunId("cancel-running");
        String queued = newRunId("cancel-queued");
        send(request(running, null, mnist(3000, 100, 30).build()));
        await().atMost(Duration.ofMinutes(2)).until(() -> !progress(running).isEmpty());

        // one run at a time per replica: this one waits behind the running one
        send(request(queued, null, mnist(300, 100, 2).build()));
        double heard = CancelCounters.heard();
        cancel(queued, "not needed any more");
        await().atMost(Duration.ofSeconds(30)).until(() -> CancelCounters.heard() >= heard + 1);
        long cancelledAt = System.nanoTime();
        cancel(running, "user pressed stop");

        TrainResult stopped = awaitResult(running, Duration.ofMinutes(2));
        System.out.printf("running run cancelled: result %d ms after the cancel was sent%n",
                (System.nanoTime() - cancelledAt) / 1_000_000);
        assertThat(stopped.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(stopped.error().code()).isEqualTo(ErrorCode.CANCELLED);
        assertThat(stopped.error().message()).contains("user pressed stop");
        assertThat(stopped.history()).isNotEmpty().hasSizeLessThan(30);
        assertThat(stopped.history()).isEqualTo(progress(running).stream().map(p -> p.metrics()).toList());
        assertThat(stopped.modelId()).isNull();
        assertThat(stopped.trainerId()).isEqualTo(TrainerTestResource.TRAINER_ID);

        TrainResult skipped = awaitResult(queued, Duration.ofMinutes(2));
        assertThat(skipped.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(skipped.error().code()).isEqualTo(ErrorCode.CANCELLED);
        assertThat(skipped.error().message()).contains("not needed any more");
        assertThat(skipped.history()).isEmpty();
        assertThat(progress(queued)).isEmpty();

        ModelStore store = new ModelStore(TrainerTestResource.modelStore());
        assertThat(store.findByRunId(running)).isEmpty();
        assertThat(store.findByRunId(queued)).isEmpty();
    }

    @Test
    void cancelThatArrivesBeforeItsRequestStillWins() {
        String runId = newRunId("cancel-early");
        double heard = CancelCounters.heard();
        cancel(runId, "changed my mind");
        await().atMost(Duration.ofSeconds(30)).until(() -> CancelCounters.heard() >= heard + 1);

        send(request(runId, null, mnist(300, 100, 2).build()));

        TrainResult result = awaitResult(runId, Duration.ofMinutes(2));
        assertThat(result.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(result.error().message()).contains("changed my mind");
        assertThat(progress(runId)).isEmpty();
    }
}
