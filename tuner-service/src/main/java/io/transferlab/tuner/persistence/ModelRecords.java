package io.transferlab.tuner.persistence;

import io.transferlab.contracts.json.Json;
import io.transferlab.contracts.model.ModelPublished;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;

/** Records vision.models announcements; one row per model id and version, so a redelivery overwrites its row. */
@ApplicationScoped
public class ModelRecords {

    private final EntityManager em;

    public ModelRecords(EntityManager em) {
        this.em = em;
    }

    @Transactional
    public void published(ModelPublished m) {
        em.createNativeQuery("""
                INSERT INTO model (model_id, version, run_id, dataset, backbone, lineage, location, test_accuracy, card,
                                   created_at, recorded_at)
                VALUES (:modelId, :version, :runId, :dataset, :backbone, :lineage, :location, :testAccuracy,
                        CAST(:card AS jsonb), :createdAt, now())
                ON CONFLICT (model_id, version) DO UPDATE SET
                    run_id = EXCLUDED.run_id, dataset = EXCLUDED.dataset, backbone = EXCLUDED.backbone,
                    lineage = EXCLUDED.lineage, location = EXCLUDED.location, test_accuracy = EXCLUDED.test_accuracy,
                    card = EXCLUDED.card, created_at = EXCLUDED.created_at, recorded_at = now()
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
                .setParameter("createdAt", m.createdAt() == null ? null : Timestamp.from(m.createdAt()))
                .executeUpdate();
    }
}
