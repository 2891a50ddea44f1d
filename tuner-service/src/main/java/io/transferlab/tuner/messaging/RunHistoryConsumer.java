package io.transferlab.tuner.messaging;

import io.smallrye.common.annotation.Blocking;
import io.transferlab.contracts.json.Json;
import io.transferlab.contracts.json.MessageFormatException;
import io.transferlab.contracts.train.TrainProgress;
import io.transferlab.contracts.train.TrainRequest;
import io.transferlab.contracts.train.TrainResult;
import io.transferlab.contracts.validation.MessageValidator;
import io.transferlab.tuner.persistence.DatabaseRetry;
import io.transferlab.tuner.service.RunRecording;
import io.transferlab.tuner.service.TrialDispatcher;
import io.transferlab.tuner.service.TunerMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Records what the train topics say. A handler returns only after its transaction committed, so the offset is
 * committed after the rows are written; while PostgreSQL is down the handler waits ({@link DatabaseRetry}) and the
 * channel consumes nothing further. A record that does not parse is nacked and dead-lettered.
 */
@ApplicationScoped
public class RunHistoryConsumer {

    private static final Logger LOG = Logger.getLogger(RunHistoryConsumer.class);

    private final RunRecording records;
    private final TrialDispatcher dispatcher;
    private final DatabaseRetry retry;
    private final TunerMetrics metrics;

    public RunHistoryConsumer(RunRecording records, TrialDispatcher dispatcher, DatabaseRetry retry,
            TunerMetrics metrics) {
        this.records = records;
        this.dispatcher = dispatcher;
        this.retry = retry;
        this.metrics = metrics;
    }

    /**
     * Records a train request as QUEUED. The tuner reads the trainers' request topic in its own consumer group, so
     * a record it cannot use goes to the tuner's own dead-letter topic ({@code vision.train.requests.tuner.dlq},
     * failure strategy {@code dead-letter-or-hold}): one that does not parse or names no usable run id, and one
     * whose write fails with a permanent database error (a constraint or data error, e.g. a NUL character that
     * PostgreSQL text cannot hold). The trainers dead-letter unreadable requests into {@code vision.train.requests.dlq}
     * themselves; a separate topic keeps the two groups' dead letters apart, each replayable to its own consumer.
     * An outage is waited out ({@link DatabaseRetry}), never dead-lettered.
     */
    @Incoming("train-requests-log")
    @Blocking
    public void onRequest(String payload) {
        TrainRequest request = Json.read(payload, TrainRequest.class);
        if (request.runId() == null || !MessageValidator.validate(request).stream()
                .allMatch(v -> v.path().startsWith("spec"))) {
            // Spec violations are the trainer's to report as a FAILED run; anything else leaves nothing to record.
            throw new MessageFormatException("train request without a usable run id: "
                    + MessageValidator.validate(request), null);
        }
        retry.untilDone("run " + request.runId() + " request", () -> records.requested(request));
    }

    @Incoming("train-progress")
    @Blocking
    public void onProgress(String payload) {
        TrainProgress progress = Json.read(payload, TrainProgress.class);
        if (progress.runId() == null || progress.metrics() == null) {
            throw new MessageFormatException("progress message without runId or metrics", null);
        }
        retry.untilDone("run " + progress.runId() + " epoch " + progress.metrics().epoch(),
                () -> records.progressed(progress));
        LOG.debugf("run %s epoch %d recorded", progress.runId(), progress.metrics().epoch());
    }

    /** A result ends a run: recorded first, then the run's study (if any) gets its slot back. */
    @Incoming("train-results")
    @Blocking
    public void onResult(String payload) {
        TrainResult result = Json.read(payload, TrainResult.class);
        if (result.runId() == null || result.status() == null) {
            throw new MessageFormatException("result message without runId or status", null);
        }
        boolean firstTime = retry.untilDone("run " + result.runId() + " result", () -> records.finished(result));
        if (firstTime) {
            metrics.runRecorded(result.status());
            LOG.infof("run %s recorded as %s", result.runId(), result.status());
        } else {
            LOG.infof("run %s: result redelivered, rows rewritten, nothing new", result.runId());
        }
        retry.untilDone("run " + result.runId() + " next trial", () -> dispatcher.runEnded(result.runId()));
    }
}
