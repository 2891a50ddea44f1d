package io.transferlab.gateway.service;

import io.transferlab.contracts.Requester;
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
 * a cancel must work while the tuner is down, and a run may be queued but not yet recorded. Every control names
 * its sender (the authenticated key, never anything from the request body): the trainer and the tuner refuse a
 * cancel of an owned run or study from a key that may not act on it, which is the authoritative check when the
 * gateway's own ({@link OwnerChecks}) could not ask the tuner.
 */
@ApplicationScoped
public class CancelService {

    private static final Logger LOG = Logger.getLogger(CancelService.class);

    private final ControlPublisher sender;

    public CancelService(ControlPublisher sender) {
        this.sender = sender;
    }

    public CompletionStage<TrainControl> cancelRun(String runId, Requester requester, String correlationId) {
        String who = requester.keyName();
        TrainControl control = new TrainControl(SchemaVersion.CURRENT, runId, ControlAction.CANCEL,
                "cancelled through the gateway by " + who, Instant.now(), who, adminFlag(requester));
        MessageValidator.requireValid(MessageValidator.validate(control));
        return sender.send(control, correlationId).thenApply(ignored -> {
            LOG.infof("run %s: cancel requested by %s (correlation %s)", runId, who, correlationId);
            return control;
        });
    }

    public CompletionStage<TuneControl> cancelStudy(String studyId, Requester requester, String correlationId) {
        String who = requester.keyName();
        TuneControl control = new TuneControl(SchemaVersion.CURRENT, studyId, ControlAction.CANCEL,
                "cancelled through the gateway by " + who, Instant.now(), who, adminFlag(requester));
        MessageValidator.requireValid(MessageValidator.validate(control));
        return sender.send(control, correlationId).thenApply(ignored -> {
            LOG.infof("study %s: cancel requested by %s (correlation %s)", studyId, who, correlationId);
            return control;
        });
    }

    /** As on requests: the flag travels only when set, so a non-admin's control looks like its request. */
    private static Boolean adminFlag(Requester requester) {
        return requester.admin() ? Boolean.TRUE : null;
    }
}
