package io.transferlab.inference.messaging;

import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.transferlab.commons.messaging.BrokerUnavailableException;
import io.transferlab.commons.messaging.JsonPublisher;
import io.transferlab.contracts.classify.ClassifyResult;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * Sends a result where its request asked: topic and partition from the reply route, key = request id, the
 * request's {@code REPLY_CORRELATION_ID} copied byte for byte, {@code x-correlation-id} and CloudEvents attributes
 * like every other message of the system ({@link JsonPublisher#message}). Never copies {@code REPLY_TOPIC}:
 * SmallRye's requester takes a record that carries it for a request and ignores it. Completes when the broker has
 * acknowledged the record.
 */
@ApplicationScoped
public class ResultPublisher {

    /** Results in flight towards the broker; the batcher's queue bounds how many can exist at once. */
    private static final int BUFFER = 4096;

    private final Emitter<String> emitter;
    private final JsonPublisher publisher;

    public ResultPublisher(@Channel(Channels.CLASSIFY_RESULTS) @OnOverflow(value = OnOverflow.Strategy.BUFFER,
            bufferSize = BUFFER) Emitter<String> emitter, JsonPublisher publisher) {
        this.emitter = emitter;
        this.publisher = publisher;
    }

    public CompletionStage<Void> send(ReplyRoute route, String key, ClassifyResult result) {
        String trace = route.traceId() != null ? route.traceId() : result.requestId();
        Message<String> message = publisher.message(key, result, trace);
        // The same record, addressed to the reply route and carrying the requester's correlation id besides.
        RecordHeaders headers = new RecordHeaders(
                message.getMetadata(OutgoingKafkaRecordMetadata.class).orElseThrow().getHeaders().toArray());
        if (route.correlationId() != null) {
            headers.add(ReplyRoutes.CORRELATION_ID, route.correlationId());
        }
        OutgoingKafkaRecordMetadata.OutgoingKafkaRecordMetadataBuilder<String> kafka = OutgoingKafkaRecordMetadata
                .<String>builder().withKey(key).withTopic(route.topic()).withHeaders(headers);
        if (route.partition() != null) {
            kafka.withPartition(route.partition());
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        Message<String> routed = message
                .addMetadata(kafka.build()) // replaces the record metadata of message()
                .withAck(() -> {
                    done.complete(null);
                    return CompletableFuture.completedFuture(null);
                })
                .withNack(failure -> {
                    done.completeExceptionally(new BrokerUnavailableException(route.topic(), failure));
                    return CompletableFuture.completedFuture(null);
                });
        try {
            emitter.send(routed);
        } catch (RuntimeException e) {
            // the emitter refuses synchronously when its buffer is full or the channel has failed
            done.completeExceptionally(new BrokerUnavailableException(route.topic(), e));
        }
        return done;
    }
}
