package io.transferlab.tuner.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.transferlab.contracts.json.Json;
import io.transferlab.contracts.model.ModelAliasChanged;
import io.transferlab.contracts.model.ModelPublished;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Timestamp;
import java.util.List;

/**
 * vision.models announcements: one row per model id and version, so a redelivery overwrites its row (an upsert,
 * native SQL through the caller's transaction). vision.models.aliases changes: one row of {@code model_aliases}
 * per model id and alias, the same way.
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

    /**
     * Records an alias change. The last change recorded wins, in the topic's order: changes of one alias share a
     * key and so a partition, which every reader (the inference replicas too) reads in the same order; comparing
     * the gateways' clocks instead could make the tuner disagree with what inference serves.
     */
    public void aliasChanged(ModelAliasChanged c) {
        getEntityManager().createNativeQuery("""
                INSERT INTO model_aliases (model_id, alias, version, changed_by, changed_at, recorded_at)
                VALUES (:modelId, :alias, :version, :changedBy, :changedAt, now())
                ON CONFLICT (model_id, alias) DO UPDATE SET
                    version = EXCLUDED.version, changed_by = EXCLUDED.changed_by, changed_at = EXCLUDED.changed_at,
                    recorded_at = now()
                """)
                .setParameter("modelId", c.modelId())
                .setParameter("alias", c.alias())
                .setParameter("version", c.version())
                .setParameter("changedBy", c.changedBy())
                .setParameter("changedAt", Timestamp.from(c.changedAt()))
                .executeUpdate();
    }

    /** The aliases that name a version, of every model (null) or of one. */
    public List<ModelAliasEntity> setAliases(String modelId) {
        String where = modelId == null ? "" : " AND a.modelId = :modelId";
        var query = getEntityManager().createQuery("SELECT a FROM ModelAliasEntity a WHERE a.version IS NOT NULL"
                + where + " ORDER BY a.modelId, a.alias", ModelAliasEntity.class);
        if (modelId != null) {
            query.setParameter("modelId", modelId);
        }
        return query.getResultList();
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
