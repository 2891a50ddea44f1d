package io.transferlab.inference.messaging;

import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.transferlab.commons.messaging.BrokerUnavailableException;
import io.transferlab.contracts.MessageHeaders;
import io.transferlab.contracts.classify.ClassifyResult;
import io.transferlab.contracts.json.Json;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * Sends a result where its request asked: topic and partition from the reply route, key = request id, the
 * request's {@code REPLY_CORRELATION_ID} copied byte for byte, {@code x-correlation-id} and CloudEvents attributes
 * like every other message of the system. Never copies {@code REPLY_TOPIC}: SmallRye's requester takes a record
 * that carries it for a request and ignores it. Completes when the broker has acknowledged the record.
 */
@ApplicationScoped
public class ResultSender {

    /** Results in flight towards the broker; the batcher's queue bounds how many can exist at once. */
    private static final int BUFFER = 4096;

    private final Emitter<String> emitter;
    private final URI source;

    public ResultSender(@Channel(Channels.CLASSIFY_RESULTS) @OnOverflow(value = OnOverflow.Strategy.BUFFER,
            bufferSize = BUFFER) Emitter<String> emitter,
            @ConfigProperty(name = "quarkus.application.name") String service) {
        this.emitter = emitter;
        this.source = URI.create("urn:transferlab:" + service);
    }

    public CompletionStage<Void> send(ReplyRoute route, String key, ClassifyResult result) {
        RecordHeaders headers = new RecordHeaders();
        if (route.correlationId() != null) {
            headers.add(ReplyRoutes.CORRELATION_ID, route.correlationId());
        }
        String trace = route.traceId() != null ? route.traceId() : result.requestId();
        if (trace != null) {
            headers.add(MessageHeaders.CORRELATION_ID, trace.getBytes(StandardCharsets.UTF_8));
        }
        OutgoingKafkaRecordMetadata.OutgoingKafkaRecordMetadataBuilder<String> kafka = OutgoingKafkaRecordMetadata
                .<String>builder().withKey(key).withTopic(route.topic()).withHeaders(headers);
        if (route.partition() != null) {
            kafka.withPartition(route.partition());
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        Message<String> message = Message.of(Json.write(result))
                .addMetadata(kafka.build())
                .addMetadata(OutgoingCloudEventMetadata.builder()
                        .withId(UUID.randomUUID().toString())
                        .withType("io.transferlab." + ClassifyResult.class.getSimpleName())
                        .withSource(source)
                        .withSubject(key)
                        .build())
                .withAck(() -> {
                    done.complete(null);
                    return CompletableFuture.completedFuture(null);
                })
                .withNack(failure -> {
                    done.completeExceptionally(new BrokerUnavailableException(route.topic(), failure));
                    return CompletableFuture.completedFuture(null);
                });
        try {
            emitter.send(message);
        } catch (RuntimeException e) {
            // the emitter refuses synchronously when its buffer is full or the channel has failed
            done.completeExceptionally(new BrokerUnavailableException(route.topic(), e));
        }
        return done;
    }
}
