package io.transferlab.tuner.service;

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
 */
@ApplicationScoped
public class StudyCancellation {

    private static final Logger LOG = Logger.getLogger(StudyCancellation.class);

    public enum Outcome {
        CANCELLED, ALREADY_CANCELLED, ALREADY_ENDED
    }

    private final StudyRepository studies;

    public StudyCancellation(StudyRepository studies) {
        this.studies = studies;
    }

    @Transactional
    public Outcome cancel(String studyId, String reason) {
        studies.ensureCancelledPlaceholder(studyId, reason);
        LockedStudy study = studies.lock(studyId, false).orElseThrow();
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
}
