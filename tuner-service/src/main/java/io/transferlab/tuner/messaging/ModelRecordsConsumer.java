package io.transferlab.tuner.messaging;

import io.smallrye.common.annotation.Blocking;
import io.transferlab.contracts.json.Json;
import io.transferlab.contracts.json.MessageFormatException;
import io.transferlab.contracts.model.ModelAliasChanged;
import io.transferlab.contracts.model.ModelPublished;
import io.transferlab.contracts.validation.MessageValidator;
import io.transferlab.tuner.persistence.DatabaseRetry;
import io.transferlab.tuner.service.ModelRecording;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * {@code vision.models}: every published model version becomes a row of {@code model}. {@code vision.models.aliases}:
 * every alias change updates the alias's row of {@code model_aliases}; a record that is no valid change goes to
 * {@code vision.models.aliases.dlq} with the reason.
 */
@ApplicationScoped
public class ModelRecordsConsumer {

    private static final Logger LOG = Logger.getLogger(ModelRecordsConsumer.class);

    private final ModelRecording models;
    private final DatabaseRetry retry;

    public ModelRecordsConsumer(ModelRecording models, DatabaseRetry retry) {
        this.models = models;
        this.retry = retry;
    }

    @Incoming("models")
    @Blocking
    public void onModel(String payload) {
        ModelPublished model = Json.read(payload, ModelPublished.class);
        if (model.modelId() == null || model.version() < 1) {
            throw new MessageFormatException("model announcement without modelId or a version >= 1", null);
        }
        retry.untilDone("model " + model.modelId() + " v" + model.version(), () -> models.published(model));
        LOG.infof("model %s version %d recorded (run %s)", model.modelId(), model.version(), model.runId());
    }

    @Incoming("model-aliases")
    @Blocking
    public void onAliasChanged(String payload) {
        ModelAliasChanged change = Json.read(payload, ModelAliasChanged.class);
        MessageValidator.requireValid(MessageValidator.validate(change));
        retry.untilDone("alias " + change.key(), () -> models.aliasChanged(change));
        LOG.infof("model %s: alias %s %s recorded (by %s)", change.modelId(), change.alias(),
                change.cleared() ? "cleared" : "= version " + change.version(), change.changedBy());
    }
}
