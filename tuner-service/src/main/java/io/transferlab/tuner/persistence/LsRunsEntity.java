package io.transferlab.tuner.persistence;

import io.transferlab.contracts.train.RunStatus;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.Immutable;

/**
 * A row of the {@code ls_runs} view (V4): a run ranked within its study. Only the columns the runs table shows are
 * mapped (the flag columns come from the trial), so the view may gain columns without touching this class.
 */
@Entity
@Immutable
@Table(name = "ls_runs")
public class LsRunsEntity {

    @Id
    @Column(name = "run_id")
    public String runId;
    @Column(name = "study_id")
    public String studyId;
    @Column(name = "trial_index")
    public Integer trialIndex;
    @Column(name = "study_rank")
    public Long studyRank;
    @Enumerated(EnumType.STRING)
    public RunStatus status;
    @Column(name = "metric_loss")
    public Double metricLoss;
    @Column(name = "metric_accuracy")
    public Double metricAccuracy;
    @Column(name = "metric_val_loss")
    public Double metricValLoss;
    @Column(name = "metric_val_accuracy")
    public Double metricValAccuracy;
    @Column(name = "metric_test_loss")
    public Double metricTestLoss;
    @Column(name = "metric_test_accuracy")
    public Double metricTestAccuracy;
    @Column(name = "epochs_completed")
    public int epochsCompleted;
    @Column(name = "model_id")
    public String modelId;
    @Column(name = "duration_ms")
    public Long durationMs;
}
