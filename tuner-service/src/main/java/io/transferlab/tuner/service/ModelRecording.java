package io.transferlab.tuner.service;

import io.transferlab.contracts.model.ModelAliasChanged;
import io.transferlab.contracts.model.ModelPublished;
import io.transferlab.tuner.persistence.ModelRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/** Records a vision.models announcement, or a vision.models.aliases change, in its own transaction. */
@ApplicationScoped
public class ModelRecording {

    private final ModelRepository models;

    public ModelRecording(ModelRepository models) {
        this.models = models;
    }

    @Transactional
    public void published(ModelPublished model) {
        models.published(model);
    }

    @Transactional
    public void aliasChanged(ModelAliasChanged change) {
        models.aliasChanged(change);
    }
}
