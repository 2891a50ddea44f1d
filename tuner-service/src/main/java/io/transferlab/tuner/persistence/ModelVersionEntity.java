package io.transferlab.tuner.persistence;

import io.transferlab.contracts.model.ModelPublished;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A row of {@code model} (V3): one version of a published model. The API reads the card; the other columns copy
 * parts of it for SQL users and are written by {@link ModelRepository}'s upsert.
 */
@Entity
@Table(name = "model")
@IdClass(ModelVersionEntity.Key.class)
public class ModelVersionEntity {

    public record Key(String modelId, int version) {
    }

    @Id
    @Column(name = "model_id")
    public String modelId;
    @Id
    public int version;
    @JdbcTypeCode(SqlTypes.JSON)
    public ModelPublished card;
}
