package io.transferlab.tuner.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/** A row of {@code run_class_metric} (V1): one class's test accuracy in a finished run. */
@Entity
@Table(name = "run_class_metric")
@IdClass(RunClassMetricEntity.Key.class)
public class RunClassMetricEntity {

    public record Key(String runId, int classIndex) {
    }

    @Id
    @Column(name = "run_id")
    public String runId;
    @Id
    @Column(name = "class_index")
    public int classIndex;
    public String label;
    public Double accuracy;
    public int support;

    public RunClassMetricEntity() {
    }

    RunClassMetricEntity(String runId, int classIndex, String label, Double accuracy, int support) {
        this.runId = runId;
        this.classIndex = classIndex;
        this.label = label;
        this.accuracy = accuracy;
        this.support = support;
    }
}
