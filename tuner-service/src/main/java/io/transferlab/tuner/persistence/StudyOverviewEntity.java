package io.transferlab.tuner.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.OneToOne;
import jakarta.persistence.Table;
import org.hibernate.annotations.Immutable;

/**
 * A row of the {@code study_overview} view (V4): a study's run counts and best run, with the study row itself.
 * Only the columns the API shows are mapped, so the view may gain columns without touching this class.
 */
@Entity
@Immutable
@Table(name = "study_overview")
public class StudyOverviewEntity {

    @Id
    @Column(name = "study_id")
    public String studyId;
    @OneToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "study_id", insertable = false, updatable = false)
    public StudyEntity study;
    @Column(name = "runs_queued")
    public long runsQueued;
    @Column(name = "runs_running")
    public long runsRunning;
    @Column(name = "runs_succeeded")
    public long runsSucceeded;
    @Column(name = "runs_failed")
    public long runsFailed;
    @Column(name = "runs_cancelled")
    public long runsCancelled;
    @Column(name = "best_run_id")
    public String bestRunId;
    @Column(name = "best_value")
    public Double bestValue;
}
