package io.transferlab.tuner.service;

import io.transferlab.commons.messaging.BrokerUnavailableException;
import io.transferlab.contracts.SchemaVersion;
import io.transferlab.contracts.query.StudyStatus;
import io.transferlab.contracts.train.ControlAction;
import io.transferlab.contracts.train.TrainControl;
import io.transferlab.contracts.train.TrainRequest;
import io.transferlab.tuner.messaging.TrainTopicsPublisher;
import io.transferlab.tuner.persistence.StudyRepository;
import io.transferlab.tuner.persistence.StudyRepository.LockedStudy;
import io.transferlab.tuner.persistence.StudyRepository.PendingTrial;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Moves a study forward: while it is RUNNING, fills its free slots ({@code maxParallel} minus the trials in flight)
 * with the next trials in plan order and completes it when every trial has ended; once it is CANCELLED, sends a
 * CANCEL for each of its runs still in flight.
 *
 * <p>Everything happens in one transaction that holds the study's row lock, so two callers (a result handler and
 * the sweep, or two replicas) never see the same free slot. A trial is marked dispatched only after the broker
 * acknowledged its train request; if the process dies in between, the trial is sent again later with the same run
 * id (at-least-once, never a second run id). A send that fails stops the round and leaves the rest for the sweep.
 */
@ApplicationScoped
public class TrialDispatcher {

    private static final Logger LOG = Logger.getLogger(TrialDispatcher.class);

    /** WAIT for a study another transaction holds (event handlers), or SKIP it (the sweep). */
    public enum LockMode {
        WAIT, SKIP_IF_BUSY
    }

    /** What a call did. */
    public record Round(String studyId, int dispatched, int cancelsSent, boolean completed) {

        static Round nothing(String studyId) {
            return new Round(studyId, 0, 0, false);
        }
    }

    private final StudyRepository studies;
    private final TrainTopicsPublisher sender;
    private final TunerMetrics metrics;

    public TrialDispatcher(StudyRepository studies, TrainTopicsPublisher sender, TunerMetrics metrics) {
        this.studies = studies;
        this.sender = sender;
        this.metrics = metrics;
    }

    @Transactional
    public Round advance(String studyId, LockMode mode) {
        Optional<LockedStudy> locked = studies.lock(studyId, mode == LockMode.SKIP_IF_BUSY);
        if (locked.isEmpty()) {
            return Round.nothing(studyId);
        }
        LockedStudy study = locked.get();
        if (study.status() == StudyStatus.RUNNING && study.planned()) {
            return dispatchFreeSlots(study);
        }
        if (study.status() == StudyStatus.CANCELLED) {
            return new Round(studyId, 0, sendPendingCancels(study), false);
        }
        return Round.nothing(studyId);
    }

    /** After a run of some study ended: its slot is free. Standalone runs have no study and change nothing. */
    @Transactional
    public Round runEnded(String runId) {
        return studies.studyOfRun(runId).map(id -> advance(id, LockMode.WAIT)).orElse(Round.nothing(null));
    }

    private Round dispatchFreeSlots(LockedStudy study) {
        String id = study.studyId();
        int inFlight = studies.inFlight(id);
        int free = study.maxParallel() - inFlight;
        int sent = 0;
        if (free > 0) {
            for (PendingTrial trial : studies.undispatched(id, free)) {
                Instant now = Instant.now();
                // the trial runs as its study's owner: its model belongs to that key
                TrainRequest request = new TrainRequest(SchemaVersion.CURRENT, trial.runId(), id, null, trial.spec(),
                        study.correlationId(), now, study.owner(), study.ownerIsAdmin() ? Boolean.TRUE : null);
                try {
                    sender.send(request);
                } catch (BrokerUnavailableException e) {
                    LOG.warnf("study %s: trial %d (run %s) not dispatched, the sweep retries: %s", id,
                            trial.trialIndex(), trial.runId(), e.getMessage());
                    break;
                }
                studies.markDispatched(id, trial.trialIndex(), trial.runId(), now);
                metrics.trialDispatched();
                sent++;
                LOG.infof("study %s: trial %d dispatched as run %s (%d of %d slots in use)", id, trial.trialIndex(),
                        trial.runId(), inFlight + sent, study.maxParallel());
            }
        }
        boolean completed = false;
        if (inFlight + sent == 0 && !studies.hasUndispatched(id)) {
            studies.complete(id);
            completed = true;
            LOG.infof("study %s: every trial ended, study COMPLETED", id);
        }
        return new Round(id, sent, 0, completed);
    }

    private int sendPendingCancels(LockedStudy study) {
        List<String> runIds = studies.pendingCancels(study.studyId());
        int sent = 0;
        for (String runId : runIds) {
            String reason = "study " + study.studyId() + " cancelled"
                    + (study.cancelReason() == null ? "" : ": " + study.cancelReason());
            try {
                // The tuner acts for the study: its owner's name goes out as the sender, which the trainer checks
                // against the trial's run (whose owner is the study's).
                sender.send(new TrainControl(SchemaVersion.CURRENT, runId, ControlAction.CANCEL, reason, Instant.now(),
                        study.owner(), study.ownerIsAdmin() ? Boolean.TRUE : null), study.correlationId());
            } catch (BrokerUnavailableException e) {
                LOG.warnf("study %s: CANCEL for run %s not sent, the sweep retries: %s", study.studyId(), runId,
                        e.getMessage());
                break;
            }
            studies.markCancelSent(runId);
            sent++;
            LOG.infof("study %s: CANCEL sent for run %s", study.studyId(), runId);
        }
        return sent;
    }
}
