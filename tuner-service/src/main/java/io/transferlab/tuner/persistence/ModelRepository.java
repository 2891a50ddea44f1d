package io.transferlab.tuner.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.transferlab.contracts.json.Json;
import io.transferlab.contracts.model.ModelPublished;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Timestamp;
import java.util.List;

/**
 * vision.models announcements: one row per model id and version, so a redelivery overwrites its row (an upsert,
 * native SQL through the caller's transaction).
 */
@ApplicationScoped
public class ModelRepository implements PanacheRepositoryBase<ModelVersionEntity, ModelVersionEntity.Key> {

    public void published(ModelPublished m) {
        getEntityManager().createNativeQuery("""
                INSERT INTO model (model_id, version, run_id, dataset, backbone, lineage, location, test_accuracy, card,
                                   created_at, owner, recorded_at)
                VALUES (:modelId, :version, :runId, :dataset, :backbone, :lineage, :location, :testAccuracy,
                        CAST(:card AS jsonb), :createdAt, :owner, now())
                ON CONFLICT (model_id, version) DO UPDATE SET
                    run_id = EXCLUDED.run_id, dataset = EXCLUDED.dataset, backbone = EXCLUDED.backbone,
                    lineage = EXCLUDED.lineage, location = EXCLUDED.location, test_accuracy = EXCLUDED.test_accuracy,
                    card = EXCLUDED.card, created_at = EXCLUDED.created_at, owner = EXCLUDED.owner, recorded_at = now()
                """)
                .setParameter("modelId", m.modelId())
                .setParameter("version", m.version())
                .setParameter("runId", m.runId())
                .setParameter("dataset", m.spec() == null ? null : m.spec().dataset())
                .setParameter("backbone", m.spec() == null ? null : m.spec().backbone())
                .setParameter("lineage", m.lineage())
                .setParameter("location", m.location())
                .setParameter("testAccuracy", m.metrics() == null ? null : m.metrics().testAccuracy())
                .setParameter("card", Json.write(m))
                .setParameter("owner", m.owner())
                .setParameter("createdAt", m.createdAt() == null ? null : Timestamp.from(m.createdAt()))
                .executeUpdate();
    }

    /** Every version of every model, by model id and version. */
    public List<ModelVersionEntity> allVersions() {
        return listAll(Sort.by("modelId").and("version"));
    }

    /** Every version of one model, oldest first. */
    public List<ModelVersionEntity> versions(String modelId) {
        return list("modelId", Sort.by("version"), modelId);
    }
}
