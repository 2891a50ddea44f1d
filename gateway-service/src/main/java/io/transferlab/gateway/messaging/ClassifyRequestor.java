package io.transferlab.gateway.messaging;

import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.reply.KafkaRequestReply;
import io.transferlab.commons.messaging.BrokerUnavailableException;
import io.transferlab.commons.messaging.JsonPublisher;
import io.transferlab.contracts.Topics;
import io.transferlab.contracts.classify.ClassifyRequest;
import io.transferlab.contracts.classify.ClassifyResult;
import io.transferlab.gateway.config.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.header.Headers;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * Channel {@code classify-requests}: sends a classify request to {@code vision.classify.requests} with the reply
 * headers of SmallRye's Kafka request-reply convention ({@code REPLY_CORRELATION_ID}, a fresh UUID as UTF-8, and
 * {@code REPLY_TOPIC}); the responder copies the correlation id onto its reply, which {@link ClassifyReplies}
 * hands back. The correlation id is registered before the request is sent, so no reply can be too early.
 *
 * <p>Replicas: every replica reads every partition of the reply topic and keeps the replies it waits for. See
 * docs/api.md ("Replicas and replies").
 */
@ApplicationScoped
public class ClassifyRequestor {

    public static final String CORRELATION_HEADER = KafkaRequestReply.DEFAULT_REPLY_CORRELATION_ID_HEADER;
    public static final String TOPIC_HEADER = KafkaRequestReply.DEFAULT_REPLY_TOPIC_HEADER;

    private final Emitter<String> emitter;
    private final JsonPublisher publisher;
    private final ClassifyReplies replies;
    private final long replyTimeoutMs;

    public ClassifyRequestor(@Channel("classify-requests") @OnOverflow(value = OnOverflow.Strategy.BUFFER,
            bufferSize = 1024) Emitter<String> emitter, JsonPublisher publisher, ClassifyReplies replies,
            GatewayConfig config) {
        this.emitter = emitter;
        this.publisher = publisher;
        this.replies = replies;
        this.replyTimeoutMs = config.classify().replyTimeoutMs();
    }

    /**
     * Sends a request and follows it until its reply or the reply timeout.
     *
     * @return {@code sent}: completes on the broker's ack or fails with {@link BrokerUnavailableException};
     *         {@code reply}: the reply, or a failure ({@link ReplyTimeoutException} when none came in time,
     *         {@link BrokerUnavailableException} when the request was not sent)
     */
    public Exchange request(ClassifyRequest request, String correlationId) {
        String replyId = UUID.randomUUID().toString();
        CompletableFuture<ClassifyResult> reply = replies.expect(replyId);
        CompletableFuture.delayedExecutor(replyTimeoutMs, TimeUnit.MILLISECONDS)
                .execute(() -> reply.completeExceptionally(new ReplyTimeoutException(replyTimeoutMs)));
        reply.whenComplete((r, failure) -> replies.forget(replyId));

        CompletableFuture<Void> sent = new CompletableFuture<>();
        sent.whenComplete((ok, failure) -> {
            if (failure != null) {
                reply.completeExceptionally(failure);
            }
        });
        Message<String> message = publisher.message(request.requestId(), request, correlationId)
                .withAck(() -> {
                    sent.complete(null);
                    return CompletableFuture.completedFuture(null);
                })
                .withNack(failure -> {
                    sent.completeExceptionally(new BrokerUnavailableException(Topics.CLASSIFY_REQUESTS, failure));
                    return CompletableFuture.completedFuture(null);
                });
        Headers headers = message.getMetadata(OutgoingKafkaRecordMetadata.class).orElseThrow().getHeaders();
        headers.add(CORRELATION_HEADER, replyId.getBytes(StandardCharsets.UTF_8));
        headers.add(TOPIC_HEADER, replies.topic().getBytes(StandardCharsets.UTF_8));
        try {
            emitter.send(message);
        } catch (RuntimeException e) {
            // the emitter refuses synchronously when its buffer is full or the channel has failed
            sent.completeExceptionally(new BrokerUnavailableException(Topics.CLASSIFY_REQUESTS, e));
        }
        return new Exchange(sent, reply);
    }

    /** Whether a request sent now gets its reply: the reply partitions are positioned and the broker answers. */
    public boolean ready() {
        return replies.positioned() && replies.brokerReachable();
    }

    /** A request in flight: first sent, then answered. */
    public record Exchange(CompletableFuture<Void> sent, CompletableFuture<ClassifyResult> reply) {
    }

    /** No reply within the reply timeout. */
    public static class ReplyTimeoutException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        ReplyTimeoutException(long timeoutMs) {
            super("no reply within the reply timeout (" + timeoutMs + " ms)");
        }
    }
}
