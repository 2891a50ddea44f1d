package io.transferlab.tuner.support;

import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.transferlab.contracts.Topics;
import io.transferlab.contracts.json.Json;
import io.transferlab.contracts.train.TrainRequest;
import io.transferlab.contracts.train.TrainResult;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToDoubleFunction;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Plays the trainer for one study through the real broker: reads the study's train requests from
 * vision.train.requests and answers with progress and results. It measures the tuner's parallelism from the
 * outside: when a request arrives, the runs in flight are the requests received minus the results already sent.
 */
public final class FakeTrainer implements AutoCloseable {

    private final KafkaCompanion kafka;
    private final ConsumerTask<String, String> requests;
    private final AtomicInteger arrived = new AtomicInteger();
    private final AtomicInteger resultsSent = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();

    /** A trainer that answers only when the test tells it to. */
    public FakeTrainer(KafkaCompanion kafka, String studyId) {
        this(kafka, studyId, null);
    }

    /**
     * @param autoSucceed when given, every request is answered at once with a SUCCEEDED result whose validation
     *        accuracy this function picks (a fast trainer, for concurrency tests)
     */
    public FakeTrainer(KafkaCompanion kafka, String studyId, ToDoubleFunction<TrainRequest> autoSucceed) {
        this.kafka = kafka;
        this.requests = kafka.consumeStrings()
                .withOffsetReset(OffsetResetStrategy.EARLIEST)
                .fromTopics(Set.of(Topics.TRAIN_REQUESTS), multi -> multi
                        .select().where(r -> studyId.equals(studyOf(r.value())))
                        .onItem().invoke(r -> {
                            int inFlight = arrived.incrementAndGet() - resultsSent.get();
                            maxInFlight.accumulateAndGet(inFlight, Math::max);
                            if (autoSucceed != null) {
                                TrainRequest request = Json.read(r.value(), TrainRequest.class);
                                succeed(request, autoSucceed.applyAsDouble(request));
                            }
                        }));
    }

    private static String studyOf(String json) {
        try {
            return Json.read(json, TrainRequest.class).studyId();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The study's train requests as they arrived (Kafka records: key, headers). */
    public List<ConsumerRecord<String, String>> records() {
        return requests.getRecords();
    }

    public List<TrainRequest> received() {
        return records().stream().map(r -> Json.read(r.value(), TrainRequest.class)).toList();
    }

    public int count() {
        return records().size();
    }

    /** The most runs that were in flight when any request arrived. */
    public int maxInFlight() {
        return maxInFlight.get();
    }

    public int resultsSent() {
        return resultsSent.get();
    }

    /** Two progress messages and a SUCCEEDED result with the given validation accuracy. */
    public void succeed(TrainRequest request, double valAccuracy) {
        TrainResult result = Messages.succeeded(request, valAccuracy);
        result.history().forEach(epoch -> send(Topics.TRAIN_PROGRESS, request.runId(), Messages.progress(request, epoch)));
        finish(result);
    }

    /** Sends a result; counted as sent before it leaves, so the tuner can never have seen more results than this. */
    public void finish(TrainResult result) {
        resultsSent.incrementAndGet();
        send(Topics.TRAIN_RESULTS, result.runId(), result);
    }

    /** The same result once more, as a redelivery would bring it (not counted as another run ending). */
    public void redeliver(TrainResult result) {
        send(Topics.TRAIN_RESULTS, result.runId(), result);
    }

    public void send(String topic, String key, Object message) {
        kafka.produceStrings().fromRecords(new ProducerRecord<>(topic, key, Json.write(message))).awaitCompletion();
    }

    @Override
    public void close() {
        requests.close();
    }
}
