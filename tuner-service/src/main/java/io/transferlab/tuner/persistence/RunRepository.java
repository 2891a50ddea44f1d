package io.transferlab.tuner.persistence;

import io.transferlab.contracts.json.Json;
import io.transferlab.contracts.train.ClassAccuracy;
import io.transferlab.contracts.train.ConfusionMatrix;
import io.transferlab.contracts.train.EpochMetrics;
import io.transferlab.contracts.train.FinalMetrics;
import io.transferlab.contracts.train.RunSpec;
import io.transferlab.contracts.train.TrainProgress;
import io.transferlab.contracts.train.TrainRequest;
import io.transferlab.contracts.train.TrainResult;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.transferlab.contracts.train.RunStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The run tables: what the train topics say about a run, and the runs as the API reads them. Every write is an
 * upsert keyed by run id (and epoch), so a redelivered message changes nothing; a final status is never
 * overwritten by a late request or progress message. The upserts are native SQL ({@code ON CONFLICT} with
 * per-column rules that JPA cannot say) run through the caller's transaction; reads are HQL.
 */
@ApplicationScoped
public class RunRepository implements PanacheRepositoryBase<RunEntity, String> {

    private static final String FINAL = "run.status IN ('SUCCEEDED', 'FAILED', 'CANCELLED')";

    private static final String FLAG_COLUMNS = "dataset, backbone, weights, freeze_backbone, pooling, dense_units, dropout, "
            + "optimizer, learning_rate, batch_size, epochs, image_size, train_size, test_size, validation_split, seed";
    private static final String FLAG_VALUES = ":dataset, :backbone, :weights, :freeze, :pooling, :denseUnits, :dropout, "
            + ":optimizer, :learningRate, :batchSize, :epochs, :imageSize, :trainSize, :testSize, :validationSplit, :seed";

    /**
     * A run was requested: QUEUED unless something later was already recorded. The owner is the request's and, like
     * the spec, never changes once recorded (a trial's row is written at planning with its study's owner).
     */
    public void requested(TrainRequest r, Integer trialIndex, Map<String, Object> variedFlags) {
        RunSpec spec = r.spec() == null ? null : r.spec().withDefaults();
        Query q = getEntityManager().createNativeQuery("""
                INSERT INTO run (run_id, study_id, trial_index, status, spec, varied_flags, %s, correlation_id,
                                 submitted_at, owner, updated_at)
                VALUES (:runId, :studyId, :trialIndex, 'QUEUED', CAST(:spec AS jsonb), CAST(:varied AS jsonb), %s,
                        :correlationId, :submittedAt, :owner, now())
                ON CONFLICT (run_id) DO UPDATE SET
                    study_id = COALESCE(run.study_id, EXCLUDED.study_id),
                    trial_index = COALESCE(run.trial_index, EXCLUDED.trial_index),
                    spec = COALESCE(run.spec, EXCLUDED.spec),
                    varied_flags = COALESCE(run.varied_flags, EXCLUDED.varied_flags),
                    %s,
                    correlation_id = COALESCE(run.correlation_id, EXCLUDED.correlation_id),
                    submitted_at = COALESCE(run.submitted_at, EXCLUDED.submitted_at),
                    owner = COALESCE(run.owner, EXCLUDED.owner),
                    updated_at = now()
                """.formatted(FLAG_COLUMNS, FLAG_VALUES, keepExistingFlags()))
                .setParameter("runId", r.runId())
                .setParameter("studyId", r.studyId())
                .setParameter("owner", r.owner())
                .setParameter("trialIndex", trialIndex)
                .setParameter("spec", spec == null ? null : Json.write(spec))
                .setParameter("varied", variedFlags == null ? null : Json.write(variedFlags))
                .setParameter("correlationId", r.correlationId())
                .setParameter("submittedAt", ts(r.submittedAt()));
        bindFlags(q, spec).executeUpdate();
    }

    /** An epoch finished: the run is RUNNING (unless already final) and the epoch's row is written. */
    public void progressed(TrainProgress p) {
        EpochMetrics m = p.metrics();
        Instant now = p.timestamp() == null ? Instant.now() : p.timestamp();
        getEntityManager().createNativeQuery("""
                INSERT INTO run (run_id, study_id, status, started_at, epochs_completed, device, updated_at)
                VALUES (:runId, :studyId, 'RUNNING', :startedAt, :epoch, :device, now())
                ON CONFLICT (run_id) DO UPDATE SET
                    status = CASE WHEN %s THEN run.status ELSE 'RUNNING' END,
                    study_id = COALESCE(run.study_id, EXCLUDED.study_id),
                    started_at = COALESCE(run.started_at, EXCLUDED.started_at),
                    epochs_completed = GREATEST(run.epochs_completed, EXCLUDED.epochs_completed),
                    device = COALESCE(EXCLUDED.device, run.device),
                    updated_at = now()
                """.formatted(FINAL))
                .setParameter("runId", p.runId())
                .setParameter("studyId", p.studyId())
                .setParameter("startedAt", ts(now.minusMillis(p.elapsedMs())))
                .setParameter("epoch", m.epoch())
                .setParameter("device", p.device())
                .executeUpdate();
        upsertEpoch(p.runId(), m);
    }

    /**
     * A run ended: its final status and figures, history, per-class accuracy and confusion matrix. The result is
     * the authority on the run's outcome.
     *
     * @return false when the run was already final (a redelivered result: the rows are rewritten, nothing new)
     */
    public boolean finished(TrainResult r) {
        List<String> before = getEntityManager()
                .createNativeQuery("SELECT status FROM run WHERE run_id = :runId FOR UPDATE", String.class)
                .setParameter("runId", r.runId()).getResultList();
        boolean firstTime = before.isEmpty() || !RunStatus.valueOf(before.get(0)).isFinal();
        RunSpec spec = r.spec() == null ? null : r.spec().withDefaults();
        FinalMetrics m = r.metrics() == null ? new FinalMetrics(null, null, null, null, null, null) : r.metrics();
        int epochs = r.history() == null ? 0 : r.history().size();
        Query q = getEntityManager().createNativeQuery("""
                INSERT INTO run (run_id, study_id, status, spec, %s, epochs_completed, train_loss, train_accuracy,
                                 val_loss, val_accuracy, test_loss, test_accuracy, class_names, confusion_matrix,
                                 model_id, model_version, device, trainer_id, images_per_second, error_code,
                                 error_message, started_at, finished_at, duration_ms, updated_at)
                VALUES (:runId, :studyId, :status, CAST(:spec AS jsonb), %s, :epochsCompleted, :trainLoss, :trainAccuracy,
                        :valLoss, :valAccuracy, :testLoss, :testAccuracy, CAST(:classNames AS jsonb),
                        CAST(:confusion AS jsonb), :modelId, :modelVersion, :device, :trainerId, :ips, :errorCode,
                        :errorMessage, :startedAt, :finishedAt, :durationMs, now())
                ON CONFLICT (run_id) DO UPDATE SET
                    status = EXCLUDED.status,
                    study_id = COALESCE(run.study_id, EXCLUDED.study_id),
                    spec = COALESCE(run.spec, EXCLUDED.spec),
                    %s,
                    epochs_completed = GREATEST(run.epochs_completed, EXCLUDED.epochs_completed),
                    train_loss = EXCLUDED.train_loss, train_accuracy = EXCLUDED.train_accuracy,
                    val_loss = EXCLUDED.val_loss, val_accuracy = EXCLUDED.val_accuracy,
                    test_loss = EXCLUDED.test_loss, test_accuracy = EXCLUDED.test_accuracy,
                    class_names = EXCLUDED.class_names, confusion_matrix = EXCLUDED.confusion_matrix,
                    model_id = EXCLUDED.model_id, model_version = EXCLUDED.model_version,
                    device = COALESCE(EXCLUDED.device, run.device), trainer_id = EXCLUDED.trainer_id,
                    images_per_second = EXCLUDED.images_per_second,
                    error_code = EXCLUDED.error_code, error_message = EXCLUDED.error_message,
                    started_at = COALESCE(EXCLUDED.started_at, run.started_at),
                    finished_at = EXCLUDED.finished_at, duration_ms = EXCLUDED.duration_ms,
                    updated_at = now()
                """.formatted(FLAG_COLUMNS, FLAG_VALUES, keepExistingFlags()))
                .setParameter("runId", r.runId())
                .setParameter("studyId", r.studyId())
                .setParameter("status", r.status().name())
                .setParameter("spec", spec == null ? null : Json.write(spec))
                .setParameter("epochsCompleted", epochs)
                .setParameter("trainLoss", m.trainLoss())
                .setParameter("trainAccuracy", m.trainAccuracy())
                .setParameter("valLoss", m.valLoss())
                .setParameter("valAccuracy", m.valAccuracy())
                .setParameter("testLoss", m.testLoss())
                .setParameter("testAccuracy", m.testAccuracy())
                .setParameter("classNames", r.classNames() == null ? null : Json.write(r.classNames()))
                .setParameter("confusion", r.confusionMatrix() == null ? null : Json.write(r.confusionMatrix()))
                .setParameter("modelId", r.modelId())
                .setParameter("modelVersion", r.modelVersion())
                .setParameter("device", r.device())
                .setParameter("trainerId", r.trainerId())
                .setParameter("ips", r.imagesPerSecond())
                .setParameter("errorCode", r.error() == null ? null : r.error().code().name())
                .setParameter("errorMessage", r.error() == null ? null : r.error().message())
                .setParameter("startedAt", ts(r.startedAt()))
                .setParameter("finishedAt", ts(r.finishedAt()))
                .setParameter("durationMs", r.durationMs());
        bindFlags(q, spec).executeUpdate();

        if (r.history() != null) {
            r.history().forEach(epoch -> upsertEpoch(r.runId(), epoch));
        }
        replaceClassMetrics(r);
        replaceConfusion(r.runId(), r.confusionMatrix());
        return firstTime;
    }

    private void upsertEpoch(String runId, EpochMetrics m) {
        getEntityManager().createNativeQuery("""
                INSERT INTO run_epoch (run_id, epoch, stage, loss, accuracy, val_loss, val_accuracy, elapsed_ms)
                VALUES (:runId, :epoch, :stage, :loss, :accuracy, :valLoss, :valAccuracy, :elapsedMs)
                ON CONFLICT (run_id, epoch) DO UPDATE SET
                    stage = EXCLUDED.stage, loss = EXCLUDED.loss, accuracy = EXCLUDED.accuracy,
                    val_loss = EXCLUDED.val_loss, val_accuracy = EXCLUDED.val_accuracy,
                    elapsed_ms = EXCLUDED.elapsed_ms, recorded_at = now()
                """)
                .setParameter("runId", runId)
                .setParameter("epoch", m.epoch())
                .setParameter("stage", m.stage() == null ? "train" : Json.mapper().convertValue(m.stage(), String.class))
                .setParameter("loss", m.loss())
                .setParameter("accuracy", m.accuracy())
                .setParameter("valLoss", m.valLoss())
                .setParameter("valAccuracy", m.valAccuracy())
                .setParameter("elapsedMs", m.elapsedMs())
                .executeUpdate();
    }

    private void replaceClassMetrics(TrainResult r) {
        EntityManager em = getEntityManager();
        em.createQuery("delete from RunClassMetricEntity c where c.runId = :runId")
                .setParameter("runId", r.runId()).executeUpdate();
        if (r.perClassAccuracy() != null) {
            for (ClassAccuracy c : r.perClassAccuracy()) {
                em.persist(new RunClassMetricEntity(r.runId(), c.classIndex(), c.label(), c.accuracy(), c.support()));
            }
        }
    }

    private void replaceConfusion(String runId, ConfusionMatrix cm) {
        EntityManager em = getEntityManager();
        em.createQuery("delete from RunConfusionCellEntity c where c.runId = :runId")
                .setParameter("runId", runId).executeUpdate();
        if (cm == null || cm.counts() == null) {
            return;
        }
        for (int p = 0; p < cm.counts().length; p++) {
            for (int a = 0; a < cm.counts()[p].length; a++) {
                em.persist(new RunConfusionCellEntity(runId, p, a, cm.counts()[p][a]));
            }
        }
    }

    /** A run's epochs in order. */
    public List<RunEpochEntity> history(String runId) {
        return getEntityManager()
                .createQuery("from RunEpochEntity e where e.runId = :runId order by e.epoch", RunEpochEntity.class)
                .setParameter("runId", runId).getResultList();
    }

    /** A finished run's per-class accuracy in class order. */
    public List<RunClassMetricEntity> classMetrics(String runId) {
        return getEntityManager()
                .createQuery("from RunClassMetricEntity c where c.runId = :runId order by c.classIndex",
                        RunClassMetricEntity.class)
                .setParameter("runId", runId).getResultList();
    }

    /** Runs newest first, optionally of one status. */
    public List<RunEntity> newest(RunStatus status, int limit) {
        String order = " order by coalesce(submittedAt, updatedAt) desc, runId desc";
        return (status == null ? find("from RunEntity" + order)
                : find("from RunEntity where status = :status" + order, Parameters.with("status", status)))
                .page(0, limit).list();
    }

    /** A study's runs in rank order (best first, unranked after them by trial index), optionally of one status. */
    public List<RunEntity> ofStudyRanked(String studyId, RunStatus status, int limit) {
        Parameters params = Parameters.with("studyId", studyId);
        String where = "where l.studyId = :studyId";
        if (status != null) {
            where += " and r.status = :status";
            params.and("status", status);
        }
        return find("select r from RunEntity r join LsRunsEntity l on l.runId = r.runId " + where
                + " order by l.studyRank nulls last, r.trialIndex, r.runId", params).page(0, limit).list();
    }

    /** A study's rows of ls_runs in rank order. */
    public List<LsRunsEntity> ranked(String studyId) {
        return getEntityManager()
                .createQuery("from LsRunsEntity l where l.studyId = :studyId"
                        + " order by l.studyRank nulls last, l.trialIndex, l.runId", LsRunsEntity.class)
                .setParameter("studyId", studyId).getResultList();
    }

    private static String keepExistingFlags() {
        StringBuilder sb = new StringBuilder();
        for (String column : FLAG_COLUMNS.split(",\\s*")) {
            if (sb.length() > 0) {
                sb.append(",\n                    ");
            }
            sb.append(column).append(" = COALESCE(run.").append(column).append(", EXCLUDED.").append(column).append(')');
        }
        return sb.toString();
    }

    private static Query bindFlags(Query q, RunSpec s) {
        return q.setParameter("dataset", s == null ? null : s.dataset())
                .setParameter("backbone", s == null ? null : s.backbone())
                .setParameter("weights", s == null ? null : s.weights())
                .setParameter("freeze", s == null ? null : s.freeze())
                .setParameter("pooling", s == null ? null : s.pooling())
                .setParameter("denseUnits", s == null ? null : s.denseUnits())
                .setParameter("dropout", s == null ? null : s.dropout())
                .setParameter("optimizer", s == null ? null : s.optimizer())
                .setParameter("learningRate", s == null ? null : s.learningRate())
                .setParameter("batchSize", s == null ? null : s.batchSize())
                .setParameter("epochs", s == null ? null : s.epochs())
                .setParameter("imageSize", s == null ? null : s.imageSize())
                .setParameter("trainSize", s == null ? null : s.trainSize())
                .setParameter("testSize", s == null ? null : s.testSize())
                .setParameter("validationSplit", s == null ? null : s.validationSplit())
                .setParameter("seed", s == null ? null : s.seed());
    }

    private static Timestamp ts(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }
}
