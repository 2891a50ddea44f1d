package io.transferlab.tuner.persistence;

import io.transferlab.contracts.query.StudyStatus;
import io.transferlab.contracts.train.RunSpec;
import io.transferlab.contracts.tune.RandomSearch;
import io.transferlab.contracts.validation.Violation;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A row of {@code study} (V2). Written by {@link StudyRepository} under the study's row lock. */
@Entity
@Table(name = "study")
public class StudyEntity {

    @Id
    @Column(name = "study_id")
    public String studyId;
    public String name;
    @Enumerated(EnumType.STRING)
    public StudyStatus status;
    @Column(name = "objective_metric")
    public String objectiveMetric;
    @Column(name = "objective_direction")
    public String objectiveDirection;
    @Column(name = "max_parallel")
    public int maxParallel;
    @Column(name = "trial_count")
    public int trialCount;
    public String search;
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "base_spec")
    public RunSpec baseSpec;
    /** A {@code json} column, not jsonb: it keeps the flags in the order the user gave them. */
    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, List<Object>> grid;
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "random_search")
    public RandomSearch randomSearch;
    @JdbcTypeCode(SqlTypes.JSON)
    public List<Violation> rejection;
    @Column(name = "cancel_reason")
    public String cancelReason;
    @Column(name = "correlation_id")
    public String correlationId;
    @Column(name = "submitted_at")
    public Instant submittedAt;
    @Column(name = "planned_at")
    public Instant plannedAt;
    @Column(name = "cancelled_at")
    public Instant cancelledAt;
    @Column(name = "finished_at")
    public Instant finishedAt;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "updated_at")
    public Instant updatedAt;
    /** The API key that submitted the study (V8); null for studies recorded before owners were. */
    public String owner;
    @Column(name = "owner_is_admin")
    public boolean ownerIsAdmin;
}
