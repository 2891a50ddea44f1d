package io.transferlab.trainer;

import static org.awaitility.Awaitility.await;

import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.transferlab.contracts.MessageHeaders;
import io.transferlab.contracts.SchemaVersion;
import io.transferlab.contracts.Topics;
import io.transferlab.contracts.json.Json;
import io.transferlab.contracts.model.ModelPublished;
import io.transferlab.contracts.train.ControlAction;
import io.transferlab.contracts.train.RunSpec;
import io.transferlab.contracts.train.TrainControl;
import io.transferlab.contracts.train.TrainProgress;
import io.transferlab.contracts.train.TrainRequest;
import io.transferlab.contracts.train.TrainResult;
import io.transferlab.testsupport.KafkaResource;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The test's view of the trainer's topics, through one KafkaCompanion per test JVM: it sends requests and control
 * messages and collects everything the trainer publishes (from the beginning of each topic), by run id.
 */
public final class TrainTopics {

    private static final AtomicLong SEQ = new AtomicLong();
    private static KafkaCompanion companion;
    private static ConsumerTask<String, String> results;
    private static ConsumerTask<String, String> progress;
    private static ConsumerTask<String, String> models;
    private static ConsumerTask<String, String> deadLetters;

    private TrainTopics() {
    }

    public static synchronized KafkaCompanion companion() {
        if (companion == null) {
            companion = new KafkaCompanion(KafkaResource.bootstrapServers());
            results = watch(Topics.TRAIN_RESULTS);
            progress = watch(Topics.TRAIN_PROGRESS);
            models = watch(Topics.MODELS);
            deadLetters = watch(Topics.deadLetter(Topics.TRAIN_REQUESTS));
        }
        return companion;
    }

    private static ConsumerTask<String, String> watch(String topic) {
        return companion.consumeStrings().withOffsetReset(OffsetResetStrategy.EARLIEST)
                .withGroupId("it-watch-" + topic + "-" + System.nanoTime()).fromTopics(topic);
    }

    /** A run id no other test uses. */
    public static String newRunId(String what) {
        return "run-it-" + what + "-" + System.currentTimeMillis() + "-" + SEQ.incrementAndGet();
    }

    /** A small real run: the first {@code trainSize} MNIST training images, small-cnn from scratch. */
    public static RunSpec.Builder mnist(int trainSize, int testSize, int epochs) {
        return RunSpec.builder().dataset("mnist").trainSize(trainSize).testSize(testSize).backbone("small-cnn")
                .weights("random").denseUnits(64).epochs(epochs).batchSize(32).validationSplit(0.2).seed(7L);
    }

    public static TrainRequest request(String runId, String modelId, RunSpec spec) {
        return new TrainRequest(1, runId, null, modelId, spec, "corr-" + runId, Instant.now());
    }

    /** A request as the gateway sends it today: schema version 2, submitted by key {@code owner}. */
    public static TrainRequest ownedRequest(String runId, RunSpec spec, String owner) {
        return new TrainRequest(SchemaVersion.CURRENT, runId, null, null, spec, "corr-" + runId, Instant.now(),
                owner, null);
    }

    public static void send(TrainRequest request) {
        sendRaw(request.runId(), Json.write(request), null);
    }

    /** Sends a request to one partition (tests that need it on a partition a given consumer owns). */
    public static void send(TrainRequest request, int partition) {
        companion().produceStrings().fromRecords(new ProducerRecord<>(Topics.TRAIN_REQUESTS, partition,
                request.runId(), Json.write(request))).awaitCompletion(Duration.ofSeconds(30));
    }

    public static void sendRaw(String key, String value, String correlationId) {
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.TRAIN_REQUESTS, key, value);
        if (correlationId != null) {
            record.headers().add(MessageHeaders.CORRELATION_ID, correlationId.getBytes(StandardCharsets.UTF_8));
        }
        companion().produceStrings().fromRecords(record).awaitCompletion(Duration.ofSeconds(30));
    }

    /** A version-1 cancel: it names no sender. */
    public static void cancel(String runId, String reason) {
        send(new TrainControl(1, runId, ControlAction.CANCEL, reason, Instant.now()));
    }

    /** A cancel from key {@code requester} (with the admin role when {@code admin}), as the gateway sends it. */
    public static void cancel(String runId, String reason, String requester, boolean admin) {
        send(new TrainControl(SchemaVersion.CURRENT, runId, ControlAction.CANCEL, reason, Instant.now(), requester,
                admin ? Boolean.TRUE : null));
    }

    private static void send(TrainControl control) {
        companion().produceStrings().fromRecords(new ProducerRecord<>(Topics.TRAIN_CONTROL, control.runId(),
                Json.write(control))).awaitCompletion(Duration.ofSeconds(30));
    }

    public static List<ConsumerRecord<String, String>> resultRecords(String runId) {
        companion();
        return results.getRecords().stream().filter(r -> runId.equals(r.key())).toList();
    }

    public static List<TrainResult> results(String runId) {
        return resultRecords(runId).stream().map(r -> Json.read(r.value(), TrainResult.class)).toList();
    }

    public static List<ConsumerRecord<String, String>> progressRecords(String runId) {
        companion();
        return progress.getRecords().stream().filter(r -> runId.equals(r.key())).toList();
    }

    public static List<TrainProgress> progress(String runId) {
        return progressRecords(runId).stream().map(r -> Json.read(r.value(), TrainProgress.class)).toList();
    }

    public static List<ModelPublished> models(String modelId) {
        companion();
        return models.getRecords().stream().filter(r -> modelId.equals(r.key()))
                .map(r -> Json.read(r.value(), ModelPublished.class)).toList();
    }

    public static List<ConsumerRecord<String, String>> deadLetters(String key) {
        companion();
        return deadLetters.getRecords().stream().filter(r -> key.equals(r.key())).toList();
    }

    /** Waits for the run's (first) result. */
    public static TrainResult awaitResult(String runId, Duration atMost) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(200)).until(() -> !resultRecords(runId).isEmpty());
        return results(runId).get(0);
    }

    public static String header(ConsumerRecord<String, String> record, String name) {
        return KafkaCompanion.getHeader(record.headers(), name);
    }
}
