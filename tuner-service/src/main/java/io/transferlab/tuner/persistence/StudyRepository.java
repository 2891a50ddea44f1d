package io.transferlab.tuner.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.transferlab.contracts.Requester;
import io.transferlab.contracts.json.Json;
import io.transferlab.contracts.query.StudyStatus;
import io.transferlab.contracts.train.RunSpec;
import io.transferlab.contracts.train.RunStatus;
import io.transferlab.contracts.tune.Objective;
import io.transferlab.contracts.tune.TuneRequest;
import io.transferlab.contracts.validation.Violation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.Tuple;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A study and its dispatch state. Every method joins the caller's transaction: the services decide where a
 * transaction starts and ends, and take the study's row lock ({@link #lock}) before they change anything of it,
 * which serializes the replicas of the tuner per study. Native SQL only where HQL cannot say it: inserts that must
 * not fail on a known id ({@code ON CONFLICT DO NOTHING}), the row lock ({@code FOR UPDATE [SKIP LOCKED]}) and
 * the plan (its grid is a {@code json} column, written as text so the user's flag order survives).
 */
@ApplicationScoped
public class StudyRepository implements PanacheRepositoryBase<StudyEntity, String> {

    /** Runs not yet ended: a dispatched trial with such a run is in flight. */
    private static final List<RunStatus> IN_FLIGHT = List.of(RunStatus.QUEUED, RunStatus.RUNNING);

    /**
     * The locked study row: what dispatching and cancelling need to decide.
     *
     * @param owner the API key that submitted the study, and {@code ownerIsAdmin}: every trial's train request
     *        carries them, so the trials' runs and models belong to that key
     * @param earlyCanceller who sent a cancel that arrived before the request ({@link Requester#UNKNOWN} when none
     *        or when it named nobody); checked against the owner when the request comes
     */
    public record LockedStudy(String studyId, StudyStatus status, int maxParallel, boolean planned,
            String correlationId, String cancelReason, String owner, boolean ownerIsAdmin, Requester earlyCanceller) {
    }

    /** A planned trial waiting for a free slot. */
    public record PendingTrial(int trialIndex, String runId, RunSpec spec) {
    }

    /** Makes sure a row exists to lock; a new one starts RUNNING with nothing planned. */
    public void ensureExists(String studyId) {
        getEntityManager().createNativeQuery(
                "INSERT INTO study (study_id, status) VALUES (:id, 'RUNNING') ON CONFLICT DO NOTHING")
                .setParameter("id", studyId)
                .executeUpdate();
    }

    /**
     * Remembers a cancel for a study whose request has not arrived (the topics are not ordered with each other):
     * the request, when it comes, is planned as cancelled and nothing is dispatched, if {@code requester} may act
     * on its owner. The first such cancel is the one remembered.
     */
    public void ensureCancelledPlaceholder(String studyId, String reason, Requester requester) {
        getEntityManager().createNativeQuery("""
                INSERT INTO study (study_id, status, cancel_reason, cancelled_at, cancel_requester,
                                   cancel_requester_is_admin)
                VALUES (:id, 'CANCELLED', :reason, now(), :requester, :requesterIsAdmin)
                ON CONFLICT DO NOTHING
                """)
                .setParameter("id", studyId)
                .setParameter("reason", reason)
                .setParameter("requester", requester.keyName())
                .setParameter("requesterIsAdmin", requester.admin())
                .executeUpdate();
    }

    /**
     * Forgets the early cancel of a locked study that is not planned yet (its sender may not act on the owner the
     * request names): the study runs as if no cancel had come.
     */
    public void dropEarlyCancel(String studyId) {
        getEntityManager().createNativeQuery("""
                UPDATE study SET status = 'RUNNING', cancel_reason = NULL, cancelled_at = NULL,
                       cancel_requester = NULL, cancel_requester_is_admin = false, updated_at = now()
                WHERE study_id = :id AND planned_at IS NULL
                """)
                .setParameter("id", studyId)
                .executeUpdate();
    }

    /**
     * Locks the study row for the rest of the transaction. With {@code skipLocked}, a study another transaction
     * (or replica) is working on is skipped instead of waited for.
     */
    public Optional<LockedStudy> lock(String studyId, boolean skipLocked) {
        List<Tuple> rows = getEntityManager().createNativeQuery("""
                SELECT study_id, status, max_parallel, planned_at IS NOT NULL AS planned, correlation_id, cancel_reason,
                       owner, owner_is_admin, cancel_requester, cancel_requester_is_admin
                FROM study WHERE study_id = :id
                FOR UPDATE %s
                """.formatted(skipLocked ? "SKIP LOCKED" : ""), Tuple.class)
                .setParameter("id", studyId)
                .getResultList();
        return rows.stream().findFirst().map(r -> new LockedStudy(r.get("study_id", String.class),
                StudyStatus.valueOf(r.get("status", String.class)), r.get("max_parallel", Number.class).intValue(),
                r.get("planned", Boolean.class), r.get("correlation_id", String.class),
                r.get("cancel_reason", String.class), r.get("owner", String.class),
                r.get("owner_is_admin", Boolean.class),
                Requester.fromMessage(r.get("cancel_requester", String.class),
                        r.get("cancel_requester_is_admin", Boolean.class))));
    }

    /** Records the plan of a locked, not yet planned study. The status is left as it is (RUNNING or CANCELLED). */
    public void savePlan(String studyId, TuneRequest request, Objective objective, int maxParallel,
            String correlationId, int trialCount) {
        getEntityManager().createNativeQuery("""
                UPDATE study SET name = :name, objective_metric = :metric, objective_direction = :direction,
                       max_parallel = :maxParallel, trial_count = :trialCount, search = :search,
                       base_spec = CAST(:baseSpec AS jsonb), grid = CAST(:grid AS json),
                       random_search = CAST(:random AS json), correlation_id = :correlationId,
                       submitted_at = :submittedAt, owner = :owner, owner_is_admin = :ownerIsAdmin,
                       planned_at = now(), updated_at = now()
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
                .setParameter("owner", request.owner())
                .setParameter("ownerIsAdmin", request.requester().admin())
                .executeUpdate();
    }

    public void saveTrial(String studyId, int trialIndex, String runId, Map<String, Object> flags) {
        getEntityManager().persist(new TrialEntity(studyId, trialIndex, runId, flags));
    }

    /**
     * Records a request that broke the contract, with every violation. A study id that is already known keeps
     * its row: a bad duplicate must not overwrite a good study.
     */
    public boolean reject(String studyId, TuneRequest request, List<Violation> violations, String correlationId) {
        return getEntityManager().createNativeQuery("""
                INSERT INTO study (study_id, name, status, max_parallel, search, base_spec, grid, random_search,
                                   rejection, correlation_id, submitted_at, owner, finished_at)
                VALUES (:id, :name, 'REJECTED', 1, :search, CAST(:baseSpec AS jsonb), CAST(:grid AS json),
                        CAST(:random AS json), CAST(:rejection AS jsonb), :correlationId, :submittedAt, :owner, now())
                ON CONFLICT DO NOTHING
                """)
                .setParameter("id", studyId)
                .setParameter("name", request.name() == null || request.name().length() > 200 ? null : request.name())
                .setParameter("search", request.grid() != null ? "grid" : request.random() != null ? "random" : null)
                .setParameter("baseSpec", request.baseSpec() == null ? null : Json.write(request.baseSpec()))
                .setParameter("grid", request.grid() == null ? null : Json.write(request.grid()))
                .setParameter("random", request.random() == null ? null : Json.write(request.random()))
                .setParameter("rejection", Json.write(violations))
                // an owner the contract refuses (too long, control characters) is one of the violations, not a name
                .setParameter("owner", violations.stream().anyMatch(v -> v.path().equals("owner")) ? null
                        : request.owner())
                .setParameter("correlationId", correlationId)
                .setParameter("submittedAt", ts(request.submittedAt()))
                .executeUpdate() == 1;
    }

    /** Trials dispatched whose run has not ended. */
    public int inFlight(String studyId) {
        return getEntityManager().createQuery("""
                select count(*) from TrialEntity t join RunEntity r on r.runId = t.runId
                where t.studyId = :id and t.dispatchedAt is not null and r.status in :inFlight
                """, Long.class)
                .setParameter("id", studyId)
                .setParameter("inFlight", IN_FLIGHT)
                .getSingleResult().intValue();
    }

    /** The next trials to dispatch, in plan order. */
    public List<PendingTrial> undispatched(String studyId, int limit) {
        return getEntityManager().createQuery("""
                select t.trialIndex, t.runId, r.spec from TrialEntity t join RunEntity r on r.runId = t.runId
                where t.studyId = :id and t.dispatchedAt is null and r.status = :queued
                order by t.trialIndex
                """, PendingTrial.class)
                .setParameter("id", studyId)
                .setParameter("queued", RunStatus.QUEUED)
                .setMaxResults(limit)
                .getResultList();
    }

    /** The broker has the trial's train request: it counts as in flight from now on. */
    public void markDispatched(String studyId, int trialIndex, String runId, Instant sentAt) {
        getEntityManager().createQuery(
                "update TrialEntity set dispatchedAt = :at where studyId = :id and trialIndex = :trialIndex")
                .setParameter("at", sentAt)
                .setParameter("id", studyId)
                .setParameter("trialIndex", trialIndex)
                .executeUpdate();
        getEntityManager().createQuery("""
                update RunEntity set submittedAt = coalesce(submittedAt, :at), updatedAt = current_timestamp
                where runId = :runId
                """)
                .setParameter("at", sentAt)
                .setParameter("runId", runId)
                .executeUpdate();
    }

    public boolean hasUndispatched(String studyId) {
        return !getEntityManager().createQuery("""
                select 1 from TrialEntity t join RunEntity r on r.runId = t.runId
                where t.studyId = :id and t.dispatchedAt is null and r.status = :queued
                """, Integer.class)
                .setParameter("id", studyId)
                .setParameter("queued", RunStatus.QUEUED)
                .setMaxResults(1)
                .getResultList().isEmpty();
    }

    public void complete(String studyId) {
        update("status = :completed, finishedAt = current_timestamp, updatedAt = current_timestamp"
                + " where studyId = :id and status = :running", Parameters.with("completed", StudyStatus.COMPLETED)
                .and("id", studyId).and("running", StudyStatus.RUNNING));
    }

    /** Cancels a locked study: its trials that were never dispatched are CANCELLED runs and will never start. */
    public void markCancelled(String studyId, String reason) {
        update("""
                status = :cancelled, cancelReason = coalesce(cancelReason, :reason),
                cancelledAt = coalesce(cancelledAt, current_timestamp), updatedAt = current_timestamp
                where studyId = :id
                """, Parameters.with("cancelled", StudyStatus.CANCELLED).and("reason", reason).and("id", studyId));
        getEntityManager().createQuery("""
                update RunEntity set status = :cancelled, finishedAt = current_timestamp, updatedAt = current_timestamp,
                       errorMessage = 'the study was cancelled before this trial was dispatched'
                where status = :queued
                  and runId in (select t.runId from TrialEntity t where t.studyId = :id and t.dispatchedAt is null)
                """)
                .setParameter("cancelled", RunStatus.CANCELLED)
                .setParameter("queued", RunStatus.QUEUED)
                .setParameter("id", studyId)
                .executeUpdate();
    }

    /** Runs of a cancelled study that are still in flight and have not been sent a CANCEL yet. */
    public List<String> pendingCancels(String studyId) {
        return getEntityManager().createQuery("""
                select t.runId from TrialEntity t join RunEntity r on r.runId = t.runId
                where t.studyId = :id and t.dispatchedAt is not null and t.cancelSentAt is null
                  and r.status in :inFlight
                order by t.trialIndex
                """, String.class)
                .setParameter("id", studyId)
                .setParameter("inFlight", IN_FLIGHT)
                .getResultList();
    }

    public void markCancelSent(String runId) {
        getEntityManager().createQuery("update TrialEntity set cancelSentAt = current_timestamp where runId = :runId")
                .setParameter("runId", runId)
                .executeUpdate();
    }

    /** Studies with work left for the tuner: RUNNING ones, and cancelled ones with cancels still to send. */
    public List<String> activeStudyIds() {
        return getEntityManager().createQuery("""
                select s.studyId from StudyEntity s where s.status = :running
                union
                select t.studyId from TrialEntity t
                join StudyEntity s on s.studyId = t.studyId
                join RunEntity r on r.runId = t.runId
                where s.status = :cancelled and t.dispatchedAt is not null and t.cancelSentAt is null
                  and r.status in :inFlight
                """, String.class)
                .setParameter("running", StudyStatus.RUNNING)
                .setParameter("cancelled", StudyStatus.CANCELLED)
                .setParameter("inFlight", IN_FLIGHT)
                .getResultList();
    }

    public int countRunning() {
        return (int) count("status", StudyStatus.RUNNING);
    }

    /** The study a run was planned for (trainers need not echo the study id). */
    public Optional<String> studyOfRun(String runId) {
        return getEntityManager()
                .createQuery("select t.studyId from TrialEntity t where t.runId = :runId", String.class)
                .setParameter("runId", runId)
                .getResultStream().findFirst();
    }

    /** The flags each trial of a study varies, by run id. */
    public Map<String, Map<String, Object>> trialFlags(String studyId) {
        Map<String, Map<String, Object>> byRun = new LinkedHashMap<>();
        getEntityManager().createQuery("from TrialEntity t where t.studyId = :id", TrialEntity.class)
                .setParameter("id", studyId)
                .getResultList()
                .forEach(t -> byRun.put(t.runId, t.flags));
        return byRun;
    }

    /** Studies, newest first, with their overview rows (counts, best run). */
    public List<StudyOverviewEntity> overviews(StudyStatus status, int limit) {
        String where = status == null ? "" : " where s.status = :status";
        var query = getEntityManager().createQuery("select o from StudyOverviewEntity o join fetch o.study s" + where
                + " order by s.createdAt desc, s.studyId desc", StudyOverviewEntity.class);
        if (status != null) {
            query.setParameter("status", status);
        }
        return query.setMaxResults(limit).getResultList();
    }

    public Optional<StudyOverviewEntity> overview(String studyId) {
        return getEntityManager().createQuery("select o from StudyOverviewEntity o join fetch o.study s"
                + " where o.studyId = :id", StudyOverviewEntity.class)
                .setParameter("id", studyId)
                .getResultStream().findFirst();
    }

    private static Timestamp ts(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }
}
