package io.transferlab.gateway.messaging;

import io.transferlab.commons.messaging.JsonPublisher;
import io.transferlab.contracts.Topics;
import io.transferlab.contracts.model.ModelAliasChanged;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

/**
 * Channel {@code model-aliases} -> {@code vision.models.aliases} (compacted), key {@code <modelId>/<alias>}: the
 * send completes when the broker has the change, so an answered PUT or DELETE is a change every reader will see.
 */
@ApplicationScoped
public class ModelAliasPublisher {

    private final Emitter<String> aliases;
    private final JsonPublisher publisher;

    public ModelAliasPublisher(@Channel("model-aliases") Emitter<String> aliases, JsonPublisher publisher) {
        this.aliases = aliases;
        this.publisher = publisher;
    }

    public CompletionStage<Void> send(ModelAliasChanged change, String correlationId) {
        return publisher.publish(aliases, Topics.MODEL_ALIASES, change.key(), change, correlationId);
    }
}
