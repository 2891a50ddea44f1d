package io.transferlab.tuner.messaging;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.IncomingKafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaConnectorIncomingConfiguration;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import io.smallrye.reactive.messaging.kafka.fault.KafkaFailureHandler;
import io.transferlab.tuner.persistence.ShutdownInProgressException;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.BiConsumer;
import org.eclipse.microprofile.reactive.messaging.Metadata;

/**
 * Failure strategy {@code dead-letter-or-hold}: SmallRye's own dead-letter-queue strategy for records that cannot be
 * processed, except for a record whose write was cut short by the service stopping. That one is held: its nack
 * never completes, so its offset (and every later one of its partition) stays uncommitted and the record is
 * redelivered after the restart instead of landing in the dead-letter topic although nothing is wrong with it.
 */
@ApplicationScoped
@Identifier("dead-letter-or-hold")
public class DeadLetterOrHold implements KafkaFailureHandler.Factory {

    private final KafkaFailureHandler.Factory deadLetterQueue;

    public DeadLetterOrHold(@Identifier("dead-letter-queue") KafkaFailureHandler.Factory deadLetterQueue) {
        this.deadLetterQueue = deadLetterQueue;
    }

    @Override
    public KafkaFailureHandler create(KafkaConnectorIncomingConfiguration config, Vertx vertx,
            KafkaConsumer<?, ?> consumer, BiConsumer<Throwable, Boolean> reportFailure) {
        KafkaFailureHandler deadLetters = deadLetterQueue.create(config, vertx, consumer, reportFailure);
        return new KafkaFailureHandler() {
            @Override
            public <K, V> Uni<Void> handle(IncomingKafkaRecord<K, V> record, Throwable reason, Metadata metadata) {
                if (ShutdownInProgressException.in(reason)) {
                    return Uni.createFrom().nothing();
                }
                return deadLetters.handle(record, reason, metadata);
            }

            @Override
            public void terminate() {
                deadLetters.terminate();
            }
        };
    }
}
