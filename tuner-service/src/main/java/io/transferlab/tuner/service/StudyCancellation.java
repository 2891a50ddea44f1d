package io.transferlab.tuner.service;

import io.transferlab.contracts.Requester;
import io.transferlab.contracts.query.StudyStatus;
import io.transferlab.tuner.persistence.StudyRepository;
import io.transferlab.tuner.persistence.StudyRepository.LockedStudy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

/**
 * Records a study's cancel under its row lock: from then on no trial of it is dispatched, and its trials that were
 * never dispatched are CANCELLED runs. The CANCELs for runs in flight are sent by {@link TrialDispatcher}, after
 * this transaction commits. A cancel for a study not seen yet is remembered (see
 * {@link StudyRepository#ensureCancelledPlaceholder}).
 *
 * <p>A cancel names its sender: a study with an owner is cancelled only when the sender may act on it
 * ({@link Requester#mayActOn}; a version-1 control names nobody and cancels only unowned studies). The gateway
 * checks too, but lets a cancel through when it cannot ask the tuner who owns the study, so this is where the check
 * is authoritative.
 */
@ApplicationScoped
public class StudyCancellation {

    private static final Logger LOG = Logger.getLogger(StudyCancellation.class);

    public enum Outcome {
        CANCELLED, ALREADY_CANCELLED, ALREADY_ENDED,
        /** The study belongs to a key the sender may not act on: nothing recorded, the study goes on. */
        REFUSED
    }

    private final StudyRepository studies;

    public StudyCancellation(StudyRepository studies) {
        this.studies = studies;
    }

    @Transactional
    public Outcome cancel(String studyId, String reason, Requester requester) {
        studies.ensureCancelledPlaceholder(studyId, reason, requester);
        LockedStudy study = studies.lock(studyId, false).orElseThrow();
        if (!requester.mayActOn(study.owner())) {
            refused(studyId, requester);
            return Outcome.REFUSED;
        }
        switch (study.status()) {
            case RUNNING -> {
                studies.markCancelled(studyId, reason);
                LOG.infof("study %s: CANCELLED%s", studyId, reason == null ? "" : " (" + reason + ")");
                return Outcome.CANCELLED;
            }
            case CANCELLED -> {
                LOG.infof("study %s: cancel recorded%s", studyId, study.planned() ? "" : " before its request arrived");
                return Outcome.ALREADY_CANCELLED;
            }
            default -> {
                LOG.infof("study %s: not cancelled, it is already %s", studyId, study.status());
                return Outcome.ALREADY_ENDED;
            }
        }
    }

    /** A WARN, not an error: the study is fine, someone asked for what their key may not do. */
    static void refused(String studyId, Requester requester) {
        LOG.warnf("study %s: cancel from %s ignored: the study belongs to another key and the sender has no admin "
                + "role; the study goes on", studyId, requester.describe());
    }
}
