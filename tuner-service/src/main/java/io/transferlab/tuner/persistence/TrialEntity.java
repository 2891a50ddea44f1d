package io.transferlab.tuner.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Map;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A row of {@code trial} (V2): a planned trial of a study, its run id and its dispatch state. */
@Entity
@Table(name = "trial")
@IdClass(TrialEntity.Key.class)
public class TrialEntity {

    public record Key(String studyId, int trialIndex) {
    }

    @Id
    @Column(name = "study_id")
    public String studyId;
    @Id
    @Column(name = "trial_index")
    public int trialIndex;
    @Column(name = "run_id")
    public String runId;
    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> flags;
    @Column(name = "dispatched_at")
    public Instant dispatchedAt;
    @Column(name = "cancel_sent_at")
    public Instant cancelSentAt;

    public TrialEntity() {
    }

    TrialEntity(String studyId, int trialIndex, String runId, Map<String, Object> flags) {
        this.studyId = studyId;
        this.trialIndex = trialIndex;
        this.runId = runId;
        this.flags = flags;
    }
}
