package io.transferlab.gateway.service;

import io.transferlab.contracts.SchemaVersion;
import io.transferlab.contracts.train.ControlAction;
import io.transferlab.contracts.train.TrainControl;
import io.transferlab.contracts.tune.TuneControl;
import io.transferlab.contracts.validation.MessageValidator;
import io.transferlab.gateway.messaging.ControlPublisher;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;

/**
 * Cancels runs and studies by publishing control messages. The gateway does not first ask whether the id exists:
 * a cancel must work while the tuner is down, and a run may be queued but not yet recorded.
 */
@ApplicationScoped
public class CancelService {

    private static final Logger LOG = Logger.getLogger(CancelService.class);

    private final ControlPublisher sender;

    public CancelService(ControlPublisher sender) {
        this.sender = sender;
    }

    public CompletionStage<TrainControl> cancelRun(String runId, String who, String correlationId) {
        TrainControl control = new TrainControl(SchemaVersion.CURRENT, runId, ControlAction.CANCEL,
                "cancelled through the gateway by " + who, Instant.now());
        MessageValidator.requireValid(MessageValidator.validate(control));
        return sender.send(control, correlationId).thenApply(ignored -> {
            LOG.infof("run %s: cancel requested by %s (correlation %s)", runId, who, correlationId);
            return control;
        });
    }

    public CompletionStage<TuneControl> cancelStudy(String studyId, String who, String correlationId) {
        TuneControl control = new TuneControl(SchemaVersion.CURRENT, studyId, ControlAction.CANCEL,
                "cancelled through the gateway by " + who, Instant.now());
        MessageValidator.requireValid(MessageValidator.validate(control));
        return sender.send(control, correlationId).thenApply(ignored -> {
            LOG.infof("study %s: cancel requested by %s (correlation %s)", studyId, who, correlationId);
            return control;
        });
    }
}
