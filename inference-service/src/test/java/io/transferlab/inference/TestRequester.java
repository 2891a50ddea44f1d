package io.transferlab.inference;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.reply.KafkaRequestReply;
import io.transferlab.contracts.SchemaVersion;
import io.transferlab.contracts.classify.ClassifyRequest;
import io.transferlab.contracts.classify.ClassifyResult;
import io.transferlab.contracts.json.Json;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Plays the gateway with SmallRye's own Kafka request-reply emitter: it stamps {@code REPLY_CORRELATION_ID},
 * {@code REPLY_TOPIC} (and {@code REPLY_PARTITION} on the partitioned channel) and completes only when a record
 * carrying that correlation id arrives where it listens. A reply the service routed wrongly times out.
 */
@ApplicationScoped
public class TestRequester {

    private final KafkaRequestReply<String, String> requests;
    private final KafkaRequestReply<String, String> partitioned;

    public TestRequester(@Channel(InferenceTestResources.REQUESTER) KafkaRequestReply<String, String> requests,
            @Channel(InferenceTestResources.PARTITIONED_REQUESTER) KafkaRequestReply<String, String> partitioned) {
        this.requests = requests;
        this.partitioned = partitioned;
    }

    public static ClassifyRequest request(String modelId, byte[] image, int topK) {
        return new ClassifyRequest(SchemaVersion.CURRENT, "req-" + UUID.randomUUID(), modelId, topK, image,
                "image/png", Instant.now());
    }

    /** Sends a request and waits for its reply. */
    public ClassifyResult classify(ClassifyRequest request) {
        return Json.read(sendRaw(request.requestId(), Json.write(request)).await().atMost(Duration.ofSeconds(60))
                .getPayload(), ClassifyResult.class);
    }

    public Uni<ClassifyResult> classifyAsync(ClassifyRequest request) {
        return sendRaw(request.requestId(), Json.write(request))
                .map(reply -> Json.read(reply.getPayload(), ClassifyResult.class));
    }

    /** Any payload at all, with the reply headers (to send malformed requests the way a buggy producer would). */
    public Uni<Message<String>> sendRaw(String key, String payload) {
        return requests.request(message(key, payload));
    }

    /** Through the requester that wants its replies on one partition of its own topic. */
    public Uni<Message<String>> sendPartitioned(String key, String payload) {
        return partitioned.request(message(key, payload));
    }

    private static Message<String> message(String key, String payload) {
        return Message.of(payload).addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(key).build());
    }
}
