package io.transferlab.tuner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.transferlab.contracts.MessageHeaders;
import io.transferlab.contracts.Topics;
import io.transferlab.contracts.json.Json;
import io.transferlab.contracts.train.RunSpec;
import io.transferlab.contracts.train.TrainRequest;
import io.transferlab.testsupport.KafkaResource;
import io.transferlab.testsupport.PostgresResource;
import io.transferlab.testsupport.Sql;
import io.transferlab.tuner.support.TopicReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * The tuner's log of train requests never stops: what it cannot record goes to its own dead-letter topic with the
 * reason, and the requests behind it are recorded. Real broker, real PostgreSQL.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
class TrainRequestLogIT {

    /** The tuner group's dead-letter topic for vision.train.requests (application.properties). */
    static final String TUNER_DLQ = Topics.TRAIN_REQUESTS_TUNER_DLQ;

    @InjectKafkaCompanion
    KafkaCompanion kafka;

    private void send(String key, String value) {
        kafka.produceStrings().fromRecords(new ProducerRecord<>(Topics.TRAIN_REQUESTS, key, value)).awaitCompletion();
    }

    private static String reason(ConsumerRecord<String, String> r) {
        return new String(r.headers().lastHeader(MessageHeaders.DEAD_LETTER_REASON).value(), StandardCharsets.UTF_8);
    }

    @Test
    void poisonAndPermanentlyFailingRequestsAreDeadLetteredWithTheReasonAndLaterRequestsAreRecorded() {
        long n = System.nanoTime();
        RunSpec spec = RunSpec.builder().dataset("mnist").trainSize(100).epochs(1).build().withDefaults();
        String unreadable = "log-unreadable-" + n;
        String nameless = "log-nameless-" + n;
        String nulRun = "log-nul-" + n;
        String goodRun = "log-good-" + n;

        send(unreadable, "{\"runId\": \"" + unreadable + "\", \"spec\": ");
        send(nameless, Json.write(new TrainRequest(1, null, null, null, spec, "corr", Instant.now())));
        // Readable and valid, but PostgreSQL text cannot hold a NUL character: a permanent database error that
        // stopped the channel for good (and again after every restart) under failure-strategy=fail.
        send(nulRun, Json.write(new TrainRequest(1, nulRun, null, null, spec, "corr\u0000nul", Instant.now())));
        send(goodRun, Json.write(new TrainRequest(1, goodRun, null, null, spec, "corr-good", Instant.now())));

        await().atMost(Duration.ofSeconds(30)).until(() -> Sql.shared()
                .rows("SELECT status FROM run WHERE run_id = ?", goodRun).equals(List.of(List.of("QUEUED"))));
        assertThat(Sql.shared().rows("SELECT status FROM run WHERE run_id = ?", nulRun)).isEmpty();

        try (TopicReader dlq = new TopicReader(KafkaResource.bootstrapServers(), List.of(TUNER_DLQ))) {
            assertThat(reason(dlq.awaitOne(r -> unreadable.equals(r.key()), Duration.ofSeconds(30))))
                    .contains("malformed JSON");
            assertThat(reason(dlq.awaitOne(r -> nameless.equals(r.key()), Duration.ofSeconds(30))))
                    .contains("usable run id");
            ConsumerRecord<String, String> nul = dlq.awaitOne(r -> nulRun.equals(r.key()), Duration.ofSeconds(30));
            assertThat(nul.value()).contains(nulRun);
            assertThat(reason(nul)).isNotBlank();
            dlq.assertNone(r -> goodRun.equals(r.key()), Duration.ofSeconds(2));
        }

        // Still consuming after all of that.
        String laterRun = "log-later-" + n;
        send(laterRun, Json.write(new TrainRequest(1, laterRun, null, null, spec, "corr-later", Instant.now())));
        await().atMost(Duration.ofSeconds(30)).until(() -> Sql.shared()
                .rows("SELECT status FROM run WHERE run_id = ?", laterRun).equals(List.of(List.of("QUEUED"))));
    }
}
