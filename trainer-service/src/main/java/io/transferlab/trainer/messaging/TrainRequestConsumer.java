package io.transferlab.trainer.messaging;

import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.transferlab.contracts.MessageHeaders;
import io.transferlab.contracts.json.Json;
import io.transferlab.contracts.json.MessageFormatException;
import io.transferlab.contracts.train.TrainRequest;
import io.transferlab.contracts.validation.Violations;
import io.transferlab.trainer.service.Disposition;
import io.transferlab.trainer.service.TrainingService;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Channel {@code train-requests} <- topic {@code vision.train.requests}, consumer group {@code transferlab-trainer}.
 * <p>
 * Each slot (see {@code transferlab.trainer.concurrency}) is one Kafka consumer that hands one request at a time
 * to a worker and returns a stage that completes when the worker is done; SmallRye delivers the next record only
 * then, and keeps polling (partitions paused) meanwhile, so a run longer than {@code max.poll.interval.ms} neither
 * loses the partition nor stalls the consumer. The record is acknowledged (offset committed, {@code latest-retrying}
 * strategy: no unprocessed-record age limit) only after its result is published; a shutdown leaves it
 * uncommitted. A record that is not a train request with a usable run id is nacked: SmallRye's dead-letter-queue
 * strategy sends it to {@code vision.train.requests.dlq} with the reason in its headers.
 */
@ApplicationScoped
public class TrainRequestConsumer {

    private static final Logger LOG = Logger.getLogger(TrainRequestConsumer.class);

    private final TrainingService training;

    public TrainRequestConsumer(TrainingService training) {
        this.training = training;
    }

    @Incoming("train-requests")
    public CompletionStage<Void> onRequest(Message<String> message) {
        TrainRequest request;
        try {
            request = Json.read(message.getPayload(), TrainRequest.class);
        } catch (MessageFormatException e) {
            LOG.warnf("unreadable train request sent to the dead-letter topic: %s", e.getMessage());
            return message.nack(e);
        }
        if (request.runId() == null || !Violations.ID.matcher(request.runId()).matches()) {
            // No run id, no result anyone could match: this is a poison message, not a failed run.
            MessageFormatException e = new MessageFormatException("train request without a usable runId ('"
                    + request.runId() + "'): a result could not be keyed or matched", null);
            LOG.warnf("train request sent to the dead-letter topic: %s", e.getMessage());
            return message.nack(e);
        }
        String correlationId = correlationId(message, request);
        return training.submit(request, correlationId).thenCompose(disposition -> {
            if (disposition == Disposition.ACKNOWLEDGE) {
                return message.ack();
            }
            LOG.infof("run %s: record left unacknowledged (trainer stopping)", request.runId());
            return CompletableFuture.completedFuture(null);
        });
    }

    /** The request's own correlation id, else the header the producer set. */
    private static String correlationId(Message<String> message, TrainRequest request) {
        if (request.correlationId() != null && !request.correlationId().isBlank()) {
            return request.correlationId();
        }
        return message.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(m -> m.getHeaders().lastHeader(MessageHeaders.CORRELATION_ID))
                .map(Header::value)
                .map(v -> new String(v, StandardCharsets.UTF_8))
                .orElse(null);
    }
}
