package io.transferlab.gateway.messaging;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.reply.KafkaRequestReply;
import io.transferlab.commons.messaging.BrokerUnavailableException;
import io.transferlab.commons.messaging.JsonPublisher;
import io.transferlab.contracts.Topics;
import io.transferlab.contracts.classify.ClassifyRequest;
import io.transferlab.contracts.classify.ClassifyResult;
import io.transferlab.contracts.json.Json;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

/**
 * Channel {@code classify-requests}: SmallRye's Kafka request-reply emitter. A request goes to
 * {@code vision.classify.requests} with the headers {@code REPLY_CORRELATION_ID} and {@code REPLY_TOPIC}
 * ({@code vision.classify.results}); the responder copies the correlation id onto its reply.
 *
 * <p>Replicas: each gateway instance reads the whole reply topic with a consumer group of its own
 * ({@code reply.group.id=gateway-replies-${quarkus.uuid}}) and keeps only the replies whose correlation id it is
 * waiting for. Quarkus would otherwise give every replica the application name as group id, and the replicas
 * would split the reply partitions between them and lose each other's replies. See docs/api.md.
 */
@ApplicationScoped
public class ClassifyRequestor {

    private static final Logger LOG = Logger.getLogger(ClassifyRequestor.class);

    private final KafkaRequestReply<String, String> requestReply;
    private final JsonPublisher publisher;
    private final AtomicBoolean assigned = new AtomicBoolean();

    public ClassifyRequestor(@Channel("classify-requests") @OnOverflow(value = OnOverflow.Strategy.BUFFER,
            bufferSize = 1024) KafkaRequestReply<String, String> requestReply, JsonPublisher publisher) {
        this.requestReply = requestReply;
        this.publisher = publisher;
    }

    /**
     * Sends a request and follows it until its reply or the channel's reply timeout.
     *
     * @return {@code sent}: completes on the broker's ack or fails with {@link BrokerUnavailableException};
     *         {@code reply}: the reply, or a failure ({@link ReplyTimeoutException} when none came in time)
     */
    public Exchange request(ClassifyRequest request, String correlationId) {
        CompletableFuture<Void> sent = new CompletableFuture<>();
        Message<String> message = publisher.message(request.requestId(), request, correlationId)
                .withAck(() -> {
                    sent.complete(null);
                    return CompletableFuture.completedFuture(null);
                })
                .withNack(failure -> {
                    sent.completeExceptionally(new BrokerUnavailableException(Topics.CLASSIFY_REQUESTS, failure));
                    return CompletableFuture.completedFuture(null);
                });
        CompletableFuture<ClassifyResult> reply;
        try {
            reply = requestReply.request(message)
                    .map(m -> Json.read(m.getPayload(), ClassifyResult.class))
                    .onFailure().transform(ClassifyRequestor::name)
                    .subscribeAsCompletionStage();
        } catch (RuntimeException e) {
            reply = CompletableFuture.failedFuture(new BrokerUnavailableException(Topics.CLASSIFY_REQUESTS, e));
        }
        reply.whenComplete((r, failure) -> {
            if (failure != null && !sent.isDone()) {
                sent.completeExceptionally(failure);
            }
        });
        return new Exchange(sent, reply);
    }

    void onStart(@Observes StartupEvent start) {
        awaitAssignment(Duration.ofSeconds(15));
    }

    /** Whether the reply consumer holds its partitions (before that, a reply could be missed). */
    public boolean ready() {
        return assigned.get();
    }

    /**
     * Waits in the background until the reply consumer is assigned its partitions. The channel itself does not
     * wait ({@code reply.initial-assignment-timeout=-1}): its own wait would break the emitter for good when the
     * broker is away at start-up, whereas this one keeps trying.
     */
    public void awaitAssignment(Duration attempt) {
        requestReply.waitForAssignments()
                .chain(this::resolvePositions)
                .ifNoItem().after(attempt).fail()
                .onFailure().retry().withBackOff(Duration.ofSeconds(1), Duration.ofSeconds(30)).indefinitely()
                .subscribe().with(partitions -> {
                    assigned.set(true);
                    LOG.infof("classification replies: reading %s", partitions);
                }, failure -> LOG.errorf(failure, "classification replies: no partition assignment"));
    }

    /**
     * An assignment alone is not enough: with {@code auto.offset.reset=latest} the consumer looks up the end offset
     * lazily, at a later poll, and a reply written before that look-up would be skipped. Asking for each position
     * on the polling thread forces the look-up now, so every reply sent after readiness is read.
     */
    private Uni<Set<TopicPartition>> resolvePositions(Set<TopicPartition> partitions) {
        return requestReply.getConsumer().runOnPollingThread(consumer -> {
            partitions.forEach(consumer::position);
            return partitions;
        });
    }

    private static Throwable name(Throwable failure) {
        if (failure instanceof BrokerUnavailableException) {
            return failure;
        }
        if (failure instanceof io.smallrye.reactive.messaging.kafka.reply.KafkaRequestReplyTimeoutException
                || failure instanceof io.smallrye.mutiny.TimeoutException) {
            return new ReplyTimeoutException(failure);
        }
        if (failure instanceof io.transferlab.contracts.json.MessageFormatException) {
            return failure;
        }
        return new BrokerUnavailableException(Topics.CLASSIFY_REQUESTS, failure);
    }

    /** A request in flight: first sent, then answered. */
    public record Exchange(CompletableFuture<Void> sent, CompletableFuture<ClassifyResult> reply) {
    }

    /** No reply within the channel's reply timeout. */
    public static class ReplyTimeoutException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        ReplyTimeoutException(Throwable cause) {
            super("no reply within the reply timeout", cause);
        }
    }
}
