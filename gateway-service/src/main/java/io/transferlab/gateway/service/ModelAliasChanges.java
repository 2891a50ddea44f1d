package io.transferlab.gateway.service;

import io.quarkus.security.identity.SecurityIdentity;
import io.transferlab.contracts.model.ModelAliasChanged;
import io.transferlab.contracts.query.ModelView;
import io.transferlab.contracts.validation.MessageValidator;
import io.transferlab.contracts.validation.ValidationException;
import io.transferlab.contracts.validation.Violation;
import io.transferlab.gateway.messaging.ModelAliasPublisher;
import io.transferlab.gateway.security.Requesters;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Points a model's alias at a version, or clears it, by publishing a {@link ModelAliasChanged} on
 * {@code vision.models.aliases}: the inference service serves unpinned requests with the {@code production} version
 * from then on, the tuner records the alias. The model and the version must be known to the tuner (which records
 * every published version); only the alias names of {@link ModelAliasChanged#ACCEPTED} are taken.
 */
@ApplicationScoped
public class ModelAliasChanges {

    private static final Logger LOG = Logger.getLogger(ModelAliasChanges.class);

    private final TunerQueries tuner;
    private final ModelAliasPublisher publisher;

    public ModelAliasChanges(TunerQueries tuner, ModelAliasPublisher publisher) {
        this.tuner = tuner;
        this.publisher = publisher;
    }

    /**
     * Publishes "{@code alias} of {@code modelId} is {@code version}" once the tuner confirms that version exists.
     *
     * @throws ValidationException (400) for an alias name the API does not take
     * @throws UnknownResourceException (404, in the stage) for an unknown model or version
     */
    public CompletionStage<ModelAliasChanged> set(String modelId, String alias, int version, SecurityIdentity caller,
            String correlationId) {
        requireAcceptedAlias(alias);
        return tuner.model(modelId).subscribeAsCompletionStage().thenCompose(model -> {
            if (!model.versions().contains(version)) {
                String versions = model.versions().stream().map(String::valueOf).collect(Collectors.joining(", "));
                throw new UnknownResourceException("model " + modelId + " has no version " + version + " (its "
                        + "versions: " + versions + "); a version published moments ago is known once the tuner has "
                        + "recorded it: retry");
            }
            requireMayChangeAliases(model, alias, caller);
            return publish(ModelAliasChanged.of(modelId, alias, version, who(caller), Instant.now()), correlationId);
        });
    }

    /**
     * Publishes "{@code alias} of {@code modelId} names no version". Published whether or not the tuner shows the
     * alias as set: the tuner learns of changes a moment after they are published, so a clear right after a set
     * must not be skipped because the set is not visible there yet.
     */
    public CompletionStage<ModelAliasChanged> clear(String modelId, String alias, SecurityIdentity caller,
            String correlationId) {
        requireAcceptedAlias(alias);
        return tuner.model(modelId).subscribeAsCompletionStage().thenCompose(model -> {
            requireMayChangeAliases(model, alias, caller);
            return publish(ModelAliasChanged.of(modelId, alias, null, who(caller), Instant.now()), correlationId);
        });
    }

    /**
     * The one place that decides whether {@code caller} may move {@code model}'s aliases, for setting and clearing
     * alike: the key that owns the model (the owner of its latest version), an admin, or anyone for a model
     * published before owners were recorded ({@link io.transferlab.contracts.Requester#mayActOn}). The resource has
     * checked the {@code train} role.
     *
     * @throws NotOwnerException (403) for a model another key owns
     */
    void requireMayChangeAliases(ModelView model, String alias, SecurityIdentity caller) {
        if (!Requesters.of(caller).mayActOn(model.owner())) {
            throw new NotOwnerException("model '" + model.modelId() + "'", "move its aliases");
        }
    }

    private static void requireAcceptedAlias(String alias) {
        if (!ModelAliasChanged.ACCEPTED.contains(alias)) {
            throw new ValidationException(List.of(new Violation("alias", "must be one of "
                    + String.join(", ", ModelAliasChanged.ACCEPTED.stream().sorted().toList())
                    + " (the only alias for now; see docs/api.md, Models)")));
        }
    }

    private CompletionStage<ModelAliasChanged> publish(ModelAliasChanged change, String correlationId) {
        MessageValidator.requireValid(MessageValidator.validate(change));
        return publisher.send(change, correlationId).thenApply(ignored -> {
            LOG.infof("model %s: alias %s %s by %s (correlation %s)", change.modelId(), change.alias(),
                    change.cleared() ? "cleared" : "now names version " + change.version(), change.changedBy(),
                    correlationId);
            return change;
        });
    }

    private static String who(SecurityIdentity caller) {
        return caller.getPrincipal().getName();
    }
}
