package io.transferlab.inference.messaging;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.transferlab.contracts.json.Json;
import io.transferlab.contracts.model.ModelAliasChanged;
import io.transferlab.contracts.validation.MessageValidator;
import io.transferlab.inference.service.ModelAliases;
import io.transferlab.inference.service.ModelCache;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * {@code vision.models.aliases}: every replica reads the whole topic at each start (a consumer group per instance,
 * from the beginning, nothing committed) and keeps each model's aliases in {@link ModelAliases}; unpinned requests
 * are served with the {@code production} version from then on. When the model is loaded here, the version the
 * alias now names is loaded at once, so the switch costs no request a load. A record that is not a valid
 * {@link ModelAliasChanged} goes to {@code vision.models.aliases.dlq} with the reason.
 */
@ApplicationScoped
public class ModelAliasConsumer {

    private static final Logger LOG = Logger.getLogger(ModelAliasConsumer.class);

    private final ModelAliases aliases;
    private final ModelCache cache;
    private final AliasTopicProgress progress;

    public ModelAliasConsumer(ModelAliases aliases, ModelCache cache,
            @Identifier(AliasTopicProgress.NAME) AliasTopicProgress progress) {
        this.aliases = aliases;
        this.cache = cache;
        this.progress = progress;
    }

    @Incoming(Channels.MODEL_ALIASES)
    @Blocking
    public void onAliasChanged(ConsumerRecord<String, String> record) {
        try {
            ModelAliasChanged change = Json.read(record.value(), ModelAliasChanged.class);
            MessageValidator.requireValid(MessageValidator.validate(change));
            aliases.apply(change);
            if (!change.cleared() && ModelAliasChanged.PRODUCTION.equals(change.alias())
                    && cache.isResident(change.modelId())) {
                warm(change);
            }
        } finally {
            // a rejected record counts as read too: it must not hold unpinned requests back
            progress.processed(record.partition(), record.offset());
        }
    }

    private void warm(ModelAliasChanged change) {
        try {
            cache.acquire(change.modelId(), change.version()).close();
        } catch (RuntimeException e) {
            LOG.warnf("model %s: production names version %d, which cannot be loaded here (requests for the model "
                    + "will report why): %s", change.modelId(), change.version(), e.getMessage());
        }
    }
}
