package io.transferlab.trainer;

import static io.restassured.RestAssured.given;
import static io.transferlab.trainer.TrainTopics.awaitResult;
import static io.transferlab.trainer.TrainTopics.companion;
import static io.transferlab.trainer.TrainTopics.mnist;
import static io.transferlab.trainer.TrainTopics.newRunId;
import static io.transferlab.trainer.TrainTopics.progress;
import static io.transferlab.trainer.TrainTopics.request;
import static io.transferlab.trainer.TrainTopics.results;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.transferlab.contracts.Topics;
import io.transferlab.contracts.json.Json;
import io.transferlab.contracts.train.RunStatus;
import io.transferlab.contracts.train.TrainProgress;
import io.transferlab.contracts.train.TrainRequest;
import io.transferlab.contracts.train.TrainResult;
import io.transferlab.testsupport.KafkaResource;
import io.transferlab.testsupport.ManagementEndpoints;
import io.transferlab.vision.store.ModelStore;
import java.time.Duration;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * The test profile sets {@code max.poll.interval.ms} to 3 s and the throttled strategy's unprocessed-record age to
 * 2 s; this run trains for several times as long. It must give exactly one result, train once, keep its record
 * uncommitted until the result is out, keep the channel healthy and the consumer consuming.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(TrainerTestResource.class)
class LongRunIT {

    private static final String GROUP = "transferlab-trainer";

    private static long limitMs(String name) {
        return ConfigProvider.getConfig().getValue("mp.messaging.incoming.train-requests." + name, Long.class);
    }

    @Test
    void runLongerThanThePollIntervalAndTheUnackedRecordAgeIsTrainedOnceAndNeverRedelivered() {
        long limit = Math.max(limitMs("max.poll.interval.ms"), limitMs("throttled.unprocessed-record-max-age.ms"));
        assertThat(limit).as("the test profile lowers the limits").isLessThanOrEqualTo(5000);
        String runId = newRunId("long");
        String modelId = "it-long-" + System.currentTimeMillis();
        // digits upsampled to 56 px: about 5x the work of 28 px, so that the run outlasts the limits on fast machines
        // too (at 28 px a quiet 2-core machine trains this in under 4 s)
        TrainRequest request = request(runId, modelId, mnist(1500, 100, 3).imageSize(56).build());

        RecordMetadata sent = companion().produceStrings()
                .fromRecords(new ProducerRecord<>(Topics.TRAIN_REQUESTS, runId, Json.write(request)))
                .awaitCompletion(Duration.ofSeconds(30)).getFirstRecord();
        TopicPartition partition = new TopicPartition(Topics.TRAIN_REQUESTS, sent.partition());

        // while it trains, its record is not committed
        await().atMost(Duration.ofMinutes(2)).until(() -> !progress(runId).isEmpty());
        assertThat(committed(partition)).isLessThanOrEqualTo(sent.offset());

        TrainResult result = awaitResult(runId, Duration.ofMinutes(4));
        System.out.printf("long run: %d ms against limits of %d ms, %.0f img/s%n", result.durationMs(), limit,
                result.imagesPerSecond());
        assertThat(result.status()).as("error: %s", result.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(result.durationMs()).as("the run must outlast the limits").isGreaterThan(2 * limit);

        // committed once the result is out
        await().atMost(Duration.ofSeconds(30)).until(() -> committed(partition) == sent.offset() + 1);

        // no redelivery: nothing more arrives for this run well past the limits
        await().during(Duration.ofMillis(2 * limit)).atMost(Duration.ofMillis(2 * limit + 10_000))
                .until(() -> results(runId).size() == 1 && progress(runId).size() == 3);
        assertThat(progress(runId)).extracting(p -> p.metrics().epoch()).containsExactly(1, 2, 3);
        assertThat(progress(runId)).extracting(TrainProgress::totalEpochs).containsOnly(3);
        assertThat(new ModelStore(TrainerTestResource.modelStore()).versions(modelId)).hasSize(1);

        // the channel stayed healthy (the throttled strategy would have marked it down) and the consumer goes on
        given().get(ManagementEndpoints.live()).then().statusCode(200).body("status", equalTo("UP"));
        String next = newRunId("after-long");
        TrainTopics.send(request(next, null, mnist(100, 50, 1).build()));
        assertThat(awaitResult(next, Duration.ofMinutes(2)).status()).isEqualTo(RunStatus.SUCCEEDED);
    }

    private static long committed(TopicPartition partition) {
        OffsetAndMetadata offset = companion().consumerGroups().offsets(GROUP, partition);
        return offset == null ? -1 : offset.offset();
    }
}
