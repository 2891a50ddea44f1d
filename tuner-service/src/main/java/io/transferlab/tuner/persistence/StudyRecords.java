package io.transferlab.tuner.persistence;

import io.transferlab.contracts.json.Json;
import io.transferlab.contracts.query.StudyStatus;
import io.transferlab.contracts.train.RunSpec;
import io.transferlab.contracts.tune.Objective;
import io.transferlab.contracts.tune.TuneRequest;
import io.transferlab.contracts.validation.Violation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes a study and its dispatch state. The writing methods join the caller's transaction: the services decide
 * where a transaction starts and ends, and take the study's row lock ({@link #lock}) before they change anything of
 * it, which serializes the replicas of the tuner per study. The few plain reads start their own when called alone.
 */
@ApplicationScoped
public class StudyRecords {

    private static final String IN_FLIGHT = "r.status IN ('QUEUED', 'RUNNING')";

    /** The locked study row: what dispatching and cancelling need to decide. */
    public record LockedStudy(String studyId, StudyStatus status, int maxParallel, boolean planned,
            String correlationId, String cancelReason) {
    }

    /** A planned trial waiting for a free slot. */
    public record PendingTrial(int trialIndex, String runId, RunSpec spec) {
    }

    private final EntityManager em;

    public StudyRecords(EntityManager em) {
        this.em = em;
    }

    /** Makes sure a row exists to lock; a new one starts RUNNING with nothing planned. */
    public void ensureExists(String studyId) {
        em.createNativeQuery("INSERT INTO study (study_id, status) VALUES (:id, 'RUNNING') ON CONFLICT DO NOTHING")
                .setParameter("id", studyId)
                .executeUpdate();
    }

    /**
     * Remembers a cancel for a study whose request has not arrived (the topics are not ordered with each other):
     * the request, when it comes, is planned as cancelled and nothing is dispatched.
     */
    public void ensureCancelledPlaceholder(String studyId, String reason) {
        em.createNativeQuery("""
                INSERT INTO study (study_id, status, cancel_reason, cancelled_at)
                VALUES (:id, 'CANCELLED', :reason, now())
                ON CONFLICT DO NOTHING
                """)
                .setParameter("id", studyId)
                .setParameter("reason", reason)
                .executeUpdate();
    }

    /**
     * Locks the study row for the rest of the transaction. With {@code skipLocked}, a study another transaction
     * (or replica) is working on is skipped instead of waited for.
     */
    public Optional<LockedStudy> lock(String studyId, boolean skipLocked) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                SELECT study_id, status, max_parallel, planned_at IS NOT NULL, correlation_id, cancel_reason
                FROM study WHERE study_id = :id
                FOR UPDATE %s
                """.formatted(skipLocked ? "SKIP LOCKED" : ""))
                .setParameter("id", studyId)
                .getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] r = rows.get(0);
        return Optional.of(new LockedStudy((String) r[0], StudyStatus.valueOf((String) r[1]), ((Number) r[2]).intValue(),
                (Boolean) r[3], (String) r[4], (String) r[5]));
    }

    /** Records the plan of a locked, not yet planned study. The status is left as it is (RUNNING or CANCELLED). */
    public void savePlan(String studyId, TuneRequest request, Objective objective, int maxParallel,
            String correlationId, int trialCount) {
        em.createNativeQuery("""
                UPDATE study SET name = :name, objective_metric = :metric, objective_direction = :direction,
                       max_parallel = :maxParallel, trial_count = :trialCount, search = :search,
                       base_spec = CAST(:baseSpec AS jsonb), grid = CAST(:grid AS json),
                       random_search = CAST(:random AS json), correlation_id = :correlationId,
                       submitted_at = :submittedAt, planned_at = now(), updated_at = now()
                WHERE study_id = :id
                """)
                .setParameter("id", studyId)
                .setParameter("name", request.name())
                .setParameter("metric", objective.metric())
                .setParameter("direction", objective.direction())
                .setParameter("maxParallel", maxParallel)
                .setParameter("trialCount", trialCount)
                .setParameter("search", request.grid() != null ? "grid" : "random")
                .setParameter("baseSpec", request.baseSpec() == null ? null : Json.write(request.baseSpec()))
                .setParameter("grid", request.grid() == null ? null : Json.write(request.grid()))
                .setParameter("random", request.random() == null ? null : Json.write(request.random()))
                .setParameter("correlationId", correlationId)
                .setParameter("submittedAt", ts(request.submittedAt()))
                .executeUpdate();
    }

    public void saveTrial(String studyId, int trialIndex, String runId, Map<String, Object> flags) {
        em.createNativeQuery("""
                INSERT INTO trial (study_id, trial_index, run_id, flags)
                VALUES (:id, :trialIndex, :runId, CAST(:flags AS jsonb))
                """)
                .setParameter("id", studyId)
                .setParameter("trialIndex", trialIndex)
                .setParameter("runId", runId)
                .setParameter("flags", Json.write(flags))
                .executeUpdate();
    }

    /**
     * Records a request that broke the contract, with every violation. A study id that is already known keeps
     * its row: a bad duplicate must not overwrite a good study.
     */
    public boolean reject(String studyId, TuneRequest request, List<Violation> violations, String correlationId) {
        return em.createNativeQuery("""
                INSERT INTO study (study_id, name, status, max_parallel, search, base_spec, grid, random_search,
                                   rejection, correlation_id, submitted_at, finished_at)
                VALUES (:id, :name, 'REJECTED', 1, :search, CAST(:baseSpec AS jsonb), CAST(:grid AS json),
                        CAST(:random AS json), CAST(:rejection AS jsonb), :correlationId, :submittedAt, now())
                ON CONFLICT DO NOTHING
                """)
                .setParameter("id", studyId)
                .setParameter("name", request.name() == null || request.name().length() > 200 ? null : request.name())
                .setParameter("search", request.grid() != null ? "grid" : request.random() != null ? "random" : null)
                .setParameter("baseSpec", request.baseSpec() == null ? null : Json.write(request.baseSpec()))
                .setParameter("grid", request.grid() == null ? null : Json.write(request.grid()))
                .setParameter("random", request.random() == null ? null : Json.write(request.random()))
                .setParameter("rejection", Json.write(violations))
                .setParameter("correlationId", correlationId)
                .setParameter("submittedAt", ts(request.submittedAt()))
                .executeUpdate() == 1;
    }

    /** Trials dispatched whose run has not ended. */
    public int inFlight(String studyId) {
        return ((Number) em.createNativeQuery("""
                SELECT count(*) FROM trial t JOIN run r ON r.run_id = t.run_id
                WHERE t.study_id = :id AND t.dispatched_at IS NOT NULL AND %s
                """.formatted(IN_FLIGHT))
                .setParameter("id", studyId)
                .getSingleResult()).intValue();
    }

    /** The next trials to dispatch, in plan order. */
    public List<PendingTrial> undispatched(String studyId, int limit) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                SELECT t.trial_index, t.run_id, CAST(r.spec AS text)
                FROM trial t JOIN run r ON r.run_id = t.run_id
                WHERE t.study_id = :id AND t.dispatched_at IS NULL AND r.status = 'QUEUED'
                ORDER BY t.trial_index
                LIMIT :limit
                """)
                .setParameter("id", studyId)
                .setParameter("limit", limit)
                .getResultList();
        return rows.stream().map(r -> new PendingTrial(((Number) r[0]).intValue(), (String) r[1],
                Json.read((String) r[2], RunSpec.class))).toList();
    }

    /** The broker has the trial's train request: it counts as in flight from now on. */
    public void markDispatched(String studyId, int trialIndex, String runId, Instant sentAt) {
        em.createNativeQuery("UPDATE trial SET dispatched_at = :at WHERE study_id = :id AND trial_index = :trialIndex")
                .setParameter("at", ts(sentAt))
                .setParameter("id", studyId)
                .setParameter("trialIndex", trialIndex)
                .executeUpdate();
        em.createNativeQuery("UPDATE run SET submitted_at = COALESCE(submitted_at, :at), updated_at = now() WHERE run_id = :runId")
                .setParameter("at", ts(sentAt))
                .setParameter("runId", runId)
                .executeUpdate();
    }

    public boolean hasUndispatched(String studyId) {
        return !em.createNativeQuery("""
                SELECT 1 FROM trial t JOIN run r ON r.run_id = t.run_id
                WHERE t.study_id = :id AND t.dispatched_at IS NULL AND r.status = 'QUEUED' LIMIT 1
                """)
                .setParameter("id", studyId)
                .getResultList().isEmpty();
    }

    public void complete(String studyId) {
        em.createNativeQuery("""
                UPDATE study SET status = 'COMPLETED', finished_at = now(), updated_at = now()
                WHERE study_id = :id AND status = 'RUNNING'
                """)
                .setParameter("id", studyId)
                .executeUpdate();
    }

    /** Cancels a locked study: its trials that were never dispatched are CANCELLED runs and will never start. */
    public void markCancelled(String studyId, String reason) {
        em.createNativeQuery("""
                UPDATE study SET status = 'CANCELLED', cancel_reason = COALESCE(cancel_reason, :reason),
                       cancelled_at = COALESCE(cancelled_at, now()), updated_at = now()
                WHERE study_id = :id
                """)
                .setParameter("id", studyId)
                .setParameter("reason", reason)
                .executeUpdate();
        em.createNativeQuery("""
                UPDATE run SET status = 'CANCELLED', finished_at = now(), updated_at = now(),
                       error_message = 'the study was cancelled before this trial was dispatched'
                WHERE status = 'QUEUED'
                  AND run_id IN (SELECT run_id FROM trial WHERE study_id = :id AND dispatched_at IS NULL)
                """)
                .setParameter("id", studyId)
                .executeUpdate();
    }

    /** Runs of a cancelled study that are still in flight and have not been sent a CANCEL yet. */
    public List<String> pendingCancels(String studyId) {
        @SuppressWarnings("unchecked")
        List<String> runIds = em.createNativeQuery("""
                SELECT t.run_id FROM trial t JOIN run r ON r.run_id = t.run_id
                WHERE t.study_id = :id AND t.dispatched_at IS NOT NULL AND t.cancel_sent_at IS NULL AND %s
                ORDER BY t.trial_index
                """.formatted(IN_FLIGHT))
                .setParameter("id", studyId)
                .getResultList();
        return runIds;
    }

    public void markCancelSent(String runId) {
        em.createNativeQuery("UPDATE trial SET cancel_sent_at = now() WHERE run_id = :runId")
                .setParameter("runId", runId)
                .executeUpdate();
    }

    /** Studies with work left for the tuner: RUNNING ones, and cancelled ones with cancels still to send. */
    @Transactional
    public List<String> activeStudyIds() {
        @SuppressWarnings("unchecked")
        List<String> ids = em.createNativeQuery("""
                SELECT study_id FROM study WHERE status = 'RUNNING'
                UNION
                SELECT t.study_id FROM trial t
                JOIN study s ON s.study_id = t.study_id
                JOIN run r ON r.run_id = t.run_id
                WHERE s.status = 'CANCELLED' AND t.dispatched_at IS NOT NULL AND t.cancel_sent_at IS NULL AND %s
                """.formatted(IN_FLIGHT))
                .getResultList();
        return ids;
    }

    @Transactional
    public int countRunning() {
        return ((Number) em.createNativeQuery("SELECT count(*) FROM study WHERE status = 'RUNNING'")
                .getSingleResult()).intValue();
    }

    /** The study a run was planned for (trainers need not echo the study id). */
    @Transactional
    public Optional<String> studyOfRun(String runId) {
        @SuppressWarnings("unchecked")
        List<String> ids = em.createNativeQuery("SELECT study_id FROM trial WHERE run_id = :runId")
                .setParameter("runId", runId)
                .getResultList();
        return ids.stream().findFirst();
    }

    private static Timestamp ts(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }
}
