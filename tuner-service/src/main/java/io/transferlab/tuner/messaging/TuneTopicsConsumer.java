package io.transferlab.tuner.messaging;

import io.smallrye.common.annotation.Blocking;
import io.transferlab.contracts.MessageHeaders;
import io.transferlab.contracts.json.Json;
import io.transferlab.contracts.json.MessageFormatException;
import io.transferlab.contracts.tune.TuneControl;
import io.transferlab.contracts.tune.TuneRequest;
import io.transferlab.contracts.validation.MessageValidator;
import io.transferlab.contracts.validation.ValidationException;
import io.transferlab.contracts.validation.Violation;
import io.transferlab.contracts.validation.Violations;
import io.transferlab.tuner.persistence.DatabaseRetry;
import io.transferlab.tuner.service.StudyCancellation;
import io.transferlab.tuner.service.StudyPlanning;
import io.transferlab.tuner.service.TrialDispatcher;
import io.transferlab.tuner.service.TrialDispatcher.LockMode;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * {@code vision.tune.requests} and {@code vision.tune.control}. A record that does not parse (or names no usable
 * study) is dead-lettered by the channel's failure strategy; a request that parses but breaks the contract is
 * recorded as a REJECTED study with every violation. Each handler returns, and its offset is committed, only after
 * the study is written; dispatching (or sending cancels) follows, and what it cannot do the sweep finishes.
 */
@ApplicationScoped
public class TuneTopicsConsumer {

    private static final Logger LOG = Logger.getLogger(TuneTopicsConsumer.class);

    private final StudyPlanning planning;
    private final StudyCancellation cancellation;
    private final TrialDispatcher dispatcher;
    private final DatabaseRetry retry;

    public TuneTopicsConsumer(StudyPlanning planning, StudyCancellation cancellation, TrialDispatcher dispatcher,
            DatabaseRetry retry) {
        this.planning = planning;
        this.cancellation = cancellation;
        this.dispatcher = dispatcher;
        this.retry = retry;
    }

    @Incoming("tune-requests")
    @Blocking
    public void onTuneRequest(ConsumerRecord<String, String> record) {
        TuneRequest request = Json.read(record.value(), TuneRequest.class);
        String studyId = usableId(request.studyId(), record.key());
        String correlationId = request.correlationId() != null ? request.correlationId()
                : header(record, MessageHeaders.CORRELATION_ID);
        StudyPlanning.Outcome outcome = retry.untilDone("study " + studyId + " plan",
                () -> planning.accept(request, studyId, correlationId));
        if (outcome == StudyPlanning.Outcome.PLANNED || outcome == StudyPlanning.Outcome.DUPLICATE) {
            retry.untilDone("study " + studyId + " dispatch", () -> dispatcher.advance(studyId, LockMode.WAIT));
        }
    }

    @Incoming("tune-control")
    @Blocking
    public void onTuneControl(ConsumerRecord<String, String> record) {
        TuneControl control = Json.read(record.value(), TuneControl.class);
        List<Violation> violations = MessageValidator.validate(control);
        if (!violations.isEmpty()) {
            // Nothing to record a broken control against: the dead-letter topic keeps it, with the reasons.
            throw new ValidationException(violations);
        }
        String studyId = control.studyId();
        StudyCancellation.Outcome outcome = retry.untilDone("study " + studyId + " cancel",
                () -> cancellation.cancel(studyId, control.reason(), control.requestedBy()));
        if (outcome == StudyCancellation.Outcome.CANCELLED || outcome == StudyCancellation.Outcome.ALREADY_CANCELLED) {
            retry.untilDone("study " + studyId + " cancels", () -> dispatcher.advance(studyId, LockMode.WAIT));
        }
    }

    /** The request's own study id, else the record key (producers key by study id), else the record is unusable. */
    private static String usableId(String studyId, String key) {
        for (String candidate : new String[] {studyId, key}) {
            if (candidate != null && Violations.ID.matcher(candidate).matches()) {
                return candidate;
            }
        }
        throw new MessageFormatException("tune request without a usable studyId (field: " + studyId + ", key: " + key
                + "): nothing to record it under", null);
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
