package io.transferlab.tuner.service;

import io.transferlab.contracts.Ids;
import io.transferlab.contracts.SchemaVersion;
import io.transferlab.contracts.query.StudyStatus;
import io.transferlab.contracts.train.TrainRequest;
import io.transferlab.contracts.tune.Objective;
import io.transferlab.contracts.tune.Trial;
import io.transferlab.contracts.tune.TrialPlanner;
import io.transferlab.contracts.tune.TuneRequest;
import io.transferlab.contracts.validation.MessageValidator;
import io.transferlab.contracts.validation.Violation;
import io.transferlab.tuner.persistence.RunRepository;
import io.transferlab.tuner.persistence.StudyRepository;
import io.transferlab.tuner.persistence.StudyRepository.LockedStudy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Turns a tune request into a study: validates it (a request that breaks the contract is recorded as REJECTED with
 * every violation), expands its search space, and writes the study, a QUEUED run row per trial (its run id fixed
 * now) and the trials, in one transaction, before anything is dispatched. A redelivered request changes nothing.
 */
@ApplicationScoped
public class StudyPlanning {

    private static final Logger LOG = Logger.getLogger(StudyPlanning.class);

    public enum Outcome {
        /** Planned and RUNNING: dispatch may start. */
        PLANNED,
        /** Planned, but a cancel arrived first: every trial is CANCELLED, nothing is dispatched. */
        PLANNED_CANCELLED,
        /** Already planned (a redelivery) or already rejected: nothing changed. */
        DUPLICATE,
        /** Recorded as REJECTED with its violations. */
        REJECTED
    }

    private final StudyRepository studies;
    private final RunRepository runs;

    public StudyPlanning(StudyRepository studies, RunRepository runs) {
        this.studies = studies;
        this.runs = runs;
    }

    /**
     * @param studyId the request's study id, or the record key when the request lacks a usable one
     * @param correlationId the request's, or the record header's
     */
    @Transactional
    public Outcome accept(TuneRequest request, String studyId, String correlationId) {
        List<Violation> violations = MessageValidator.validate(request);
        if (!violations.isEmpty()) {
            return reject(request, studyId, correlationId, violations);
        }
        List<Trial> trials;
        try {
            trials = TrialPlanner.plan(request);
        } catch (IllegalArgumentException e) {
            return reject(request, studyId, correlationId, List.of(new Violation(request.grid() != null ? "grid" : "random",
                    e.getMessage())));
        }
        if (trials.isEmpty()) {
            return reject(request, studyId, correlationId,
                    List.of(new Violation("grid", "makes no trials: give at least one flag with values")));
        }

        studies.ensureExists(studyId);
        LockedStudy study = studies.lock(studyId, false).orElseThrow();
        if (study.planned() || study.status() == StudyStatus.REJECTED || study.status() == StudyStatus.COMPLETED) {
            LOG.infof("study %s: request already recorded (%s), nothing to do", studyId, study.status());
            return Outcome.DUPLICATE;
        }
        boolean cancelled = study.status() == StudyStatus.CANCELLED;
        if (cancelled && !study.earlyCanceller().mayActOn(request.owner())) {
            // The cancel came first, when the owner was not known yet: checked now, like any cancel.
            StudyCancellation.refused(studyId, study.earlyCanceller());
            studies.dropEarlyCancel(studyId);
            cancelled = false;
        }
        Objective objective = request.objective() == null ? Objective.defaultObjective() : request.objective().withDefaults();
        int maxParallel = request.maxParallel() == null ? TuneRequest.DEFAULT_MAX_PARALLEL : request.maxParallel();
        studies.savePlan(studyId, request, objective, maxParallel, correlationId, trials.size());
        Set<String> runIds = new HashSet<>();
        for (Trial trial : trials) {
            String runId = Ids.newRunId();
            while (!runIds.add(runId)) {
                runId = Ids.newRunId();
            }
            // submittedAt stays empty until the trial is dispatched: the row exists so the plan is visible and
            // the run id is fixed, but the run has not been requested from a trainer yet.
            runs.requested(new TrainRequest(SchemaVersion.CURRENT, runId, studyId, null, trial.spec(), correlationId,
                    null, request.owner(), request.ownerIsAdmin()), trial.index(), trial.flags());
            studies.saveTrial(studyId, trial.index(), runId, trial.flags());
        }
        if (cancelled) {
            studies.markCancelled(studyId, study.cancelReason());
            LOG.infof("study %s: planned %d trials, all CANCELLED (the cancel arrived before the request)", studyId,
                    trials.size());
            return Outcome.PLANNED_CANCELLED;
        }
        LOG.infof("study %s: planned %d trials, at most %d in flight, objective %s %s", studyId, trials.size(),
                maxParallel, objective.direction(), objective.metric());
        return Outcome.PLANNED;
    }

    private Outcome reject(TuneRequest request, String studyId, String correlationId, List<Violation> violations) {
        boolean recorded = studies.reject(studyId, request, violations, correlationId);
        LOG.warnf("study %s: request rejected (%s): %s", studyId, recorded ? "recorded" : "id already known, kept",
                violations);
        return recorded ? Outcome.REJECTED : Outcome.DUPLICATE;
    }
}
