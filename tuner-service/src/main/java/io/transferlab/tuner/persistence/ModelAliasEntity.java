package io.transferlab.tuner.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/**
 * A row of {@code model_aliases} (V9): the version one alias of a model names, null once cleared. Written by
 * {@link ModelRepository}'s upsert; the API reads the set ones.
 */
@Entity
@Table(name = "model_aliases")
@IdClass(ModelAliasEntity.Key.class)
public class ModelAliasEntity {

    public record Key(String modelId, String alias) {
    }

    @Id
    @Column(name = "model_id")
    public String modelId;
    @Id
    public String alias;
    public Integer version;
}
