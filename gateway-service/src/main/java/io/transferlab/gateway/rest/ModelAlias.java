package io.transferlab.gateway.rest;

import io.transferlab.contracts.model.ModelAliasChanged;
import java.time.Instant;

/**
 * Answer to setting or clearing an alias: the change as published on {@code vision.models.aliases}.
 *
 * @param version the version the alias names now; absent when it was cleared
 * @param changedBy the name of the API key that made the change
 * @param location the model, whose {@code aliases} show the change once the tuner has recorded it
 */
public record ModelAlias(String modelId, String alias, Integer version, String changedBy, Instant changedAt,
        String location) {

    static ModelAlias of(ModelAliasChanged change) {
        return new ModelAlias(change.modelId(), change.alias(), change.version(), change.changedBy(),
                change.changedAt(), "/api/v1/models/" + change.modelId());
    }
}
