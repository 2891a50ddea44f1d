package io.transferlab.trainer.messaging;

import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.transferlab.contracts.json.Json;
import io.transferlab.contracts.json.MessageFormatException;
import io.transferlab.contracts.train.ControlAction;
import io.transferlab.contracts.train.TrainControl;
import io.transferlab.contracts.validation.MessageValidator;
import io.transferlab.contracts.validation.Violation;
import io.transferlab.trainer.service.CancelRegistry;
import io.transferlab.trainer.service.TrainerMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Channel {@code train-control} <- topic {@code vision.train.control}, in a consumer group of this instance's own
 * (every replica must hear every cancel: only the one running or holding the run can act on it). It reads from
 * the beginning on start and remembers the cancels younger than {@code transferlab.trainer.cancel-memory}, so a
 * restarted replica that receives a cancelled run's request again still cancels it. A control message that does
 * not parse is logged and skipped: every replica reads it, so dead-lettering it would copy it once per replica.
 * A cancel names its sender; {@link CancelRegistry} refuses one that may not act on the run's owner.
 */
@ApplicationScoped
public class TrainControlConsumer {

    private static final Logger LOG = Logger.getLogger(TrainControlConsumer.class);

    private final CancelRegistry cancellations;
    private final TrainerMetrics metrics;

    public TrainControlConsumer(CancelRegistry cancellations, TrainerMetrics metrics) {
        this.cancellations = cancellations;
        this.metrics = metrics;
    }

    @Incoming("train-control")
    public CompletionStage<Void> onControl(Message<String> message) {
        try {
            TrainControl control = Json.read(message.getPayload(), TrainControl.class);
            List<Violation> violations = MessageValidator.validate(control);
            if (!violations.isEmpty()) {
                LOG.warnf("skipping an invalid train control message: %s", violations);
            } else if (control.action() == ControlAction.CANCEL) {
                Instant at = control.requestedAt() != null ? control.requestedAt()
                        : message.getMetadata(IncomingKafkaRecordMetadata.class)
                                .map(IncomingKafkaRecordMetadata::getTimestamp).orElse(null);
                CancelRegistry.Outcome outcome = cancellations.cancel(control.runId(), control.reason(), at,
                        control.requestedBy());
                if (outcome != CancelRegistry.Outcome.TOO_OLD) {
                    metrics.cancelReceived();
                }
                if (outcome == CancelRegistry.Outcome.ACCEPTED) {
                    LOG.infof("run %s: cancel requested by %s (%s)", control.runId(), control.requestedBy().describe(),
                            control.reason() == null ? "no reason given" : control.reason());
                }
            }
        } catch (MessageFormatException e) {
            LOG.warnf("skipping an unreadable train control message: %s", e.getMessage());
        }
        return message.ack();
    }
}
