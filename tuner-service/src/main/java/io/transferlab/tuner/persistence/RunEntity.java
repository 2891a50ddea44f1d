package io.transferlab.tuner.persistence;

import io.transferlab.contracts.train.ConfusionMatrix;
import io.transferlab.contracts.train.RunSpec;
import io.transferlab.contracts.train.RunStatus;
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

/**
 * A row of {@code run} (V1): the columns the API shows. Rows are written by {@link RunRepository}'s upserts; the
 * flag columns (dataset ... seed) copy the spec for SQL users and are read through the {@code ls_runs} view.
 */
@Entity
@Table(name = "run")
public class RunEntity {

    @Id
    @Column(name = "run_id")
    public String runId;
    @Column(name = "study_id")
    public String studyId;
    @Column(name = "trial_index")
    public Integer trialIndex;
    @Enumerated(EnumType.STRING)
    public RunStatus status;
    @JdbcTypeCode(SqlTypes.JSON)
    public RunSpec spec;
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "varied_flags")
    public Map<String, Object> variedFlags;
    @Column(name = "epochs_completed")
    public int epochsCompleted;
    @Column(name = "train_loss")
    public Double trainLoss;
    @Column(name = "train_accuracy")
    public Double trainAccuracy;
    @Column(name = "val_loss")
    public Double valLoss;
    @Column(name = "val_accuracy")
    public Double valAccuracy;
    @Column(name = "test_loss")
    public Double testLoss;
    @Column(name = "test_accuracy")
    public Double testAccuracy;
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "class_names")
    public List<String> classNames;
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "confusion_matrix")
    public ConfusionMatrix confusionMatrix;
    @Column(name = "model_id")
    public String modelId;
    @Column(name = "model_version")
    public Integer modelVersion;
    public String device;
    @Column(name = "trainer_id")
    public String trainerId;
    @Column(name = "images_per_second")
    public Double imagesPerSecond;
    @Column(name = "error_code")
    public String errorCode;
    @Column(name = "error_message")
    public String errorMessage;
    @Column(name = "correlation_id")
    public String correlationId;
    @Column(name = "submitted_at")
    public Instant submittedAt;
    @Column(name = "started_at")
    public Instant startedAt;
    @Column(name = "finished_at")
    public Instant finishedAt;
    @Column(name = "duration_ms")
    public Long durationMs;
    @Column(name = "updated_at")
    public Instant updatedAt;
    /** The API key that submitted the run (V8); null for runs recorded before owners were. */
    public String owner;
}
