package io.transferlab.commons.messaging;

import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.transferlab.contracts.MessageHeaders;
import io.transferlab.contracts.json.Json;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Sends a contract record as JSON with its key, the correlation id header and CloudEvents attributes, and
 * completes only when the broker has acknowledged it; a nack completes exceptionally with
 * {@link BrokerUnavailableException}.
 */
@ApplicationScoped
public class JsonPublisher {

    private final URI source;

    public JsonPublisher(@ConfigProperty(name = "quarkus.application.name", defaultValue = "transferlab") String service) {
        this.source = URI.create("urn:transferlab:" + service);
    }

    /**
     * Sends now. {@link MutinyEmitter#sendMessage} completes when the broker acknowledged the record and fails
     * when it was nacked or refused at once (buffer full, channel failed); either failure is named here.
     */
    public CompletionStage<Void> publish(MutinyEmitter<String> emitter, String topic, String key, Object payload,
            String correlationId) {
        return emitter.sendMessage(message(key, payload, correlationId))
                .onFailure().transform(failure -> new BrokerUnavailableException(topic, failure))
                .subscribeAsCompletionStage();
    }

    /**
     * The message {@link #publish} sends, for senders that need their own emitter type (e.g. a Kafka
     * request-reply emitter): JSON payload, record key, correlation id header and CloudEvents attributes.
     */
    public Message<String> message(String key, Object payload, String correlationId) {
        RecordHeaders headers = new RecordHeaders();
        if (correlationId != null) {
            headers.add(MessageHeaders.CORRELATION_ID, correlationId.getBytes(StandardCharsets.UTF_8));
        }
        return Message.of(Json.write(payload))
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(key).withHeaders(headers).build())
                .addMetadata(OutgoingCloudEventMetadata.builder()
                        .withId(UUID.randomUUID().toString())
                        .withType("io.transferlab." + payload.getClass().getSimpleName())
                        .withSource(source)
                        .withSubject(key)
                        .build());
    }
}
