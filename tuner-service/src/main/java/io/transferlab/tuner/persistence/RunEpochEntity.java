package io.transferlab.tuner.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/** A row of {@code run_epoch} (V1): one epoch of a run's history. Written by upsert ({@link RunRepository}). */
@Entity
@Table(name = "run_epoch")
@IdClass(RunEpochEntity.Key.class)
public class RunEpochEntity {

    public record Key(String runId, int epoch) {
    }

    @Id
    @Column(name = "run_id")
    public String runId;
    @Id
    public int epoch;
    /** {@code train} or {@code fine-tune}: TrainStage's JSON names. */
    public String stage;
    public double loss;
    public double accuracy;
    @Column(name = "val_loss")
    public Double valLoss;
    @Column(name = "val_accuracy")
    public Double valAccuracy;
    @Column(name = "elapsed_ms")
    public long elapsedMs;
}
