package io.transferlab.tuner.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/** A row of {@code run_confusion} (V1): one cell of a run's confusion matrix in long form, for SQL users. */
@Entity
@Table(name = "run_confusion")
@IdClass(RunConfusionCellEntity.Key.class)
public class RunConfusionCellEntity {

    public record Key(String runId, int predicted, int actual) {
    }

    @Id
    @Column(name = "run_id")
    public String runId;
    @Id
    public int predicted;
    @Id
    public int actual;
    public int count;

    public RunConfusionCellEntity() {
    }

    RunConfusionCellEntity(String runId, int predicted, int actual, int count) {
        this.runId = runId;
        this.predicted = predicted;
        this.actual = actual;
        this.count = count;
    }
}
