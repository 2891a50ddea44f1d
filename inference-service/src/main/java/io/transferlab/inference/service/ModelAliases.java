package io.transferlab.inference.service;

import io.transferlab.contracts.model.ModelAliasChanged;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Which version each alias of each model names, as {@code vision.models.aliases} says: this replica reads the topic
 * from its beginning at every start, so it learns every alias's current version, then every change as it comes.
 * Until it has read what the topic held when it started ({@link #caughtUp()}), it does not know whether a model has
 * a {@code production} version, and unpinned requests wait for that ({@link #awaitCaughtUp}).
 */
public final class ModelAliases {

    private static final Logger LOG = Logger.getLogger(ModelAliases.class);

    private final Map<String, Map<String, Integer>> byModel = new ConcurrentHashMap<>();
    private final CountDownLatch caughtUp = new CountDownLatch(1);

    /** Applies one change; a cleared alias is forgotten. */
    public void apply(ModelAliasChanged change) {
        byModel.compute(change.modelId(), (id, aliases) -> {
            Map<String, Integer> next = aliases == null ? new TreeMap<>() : new TreeMap<>(aliases);
            if (change.cleared()) {
                next.remove(change.alias());
            } else {
                next.put(change.alias(), change.version());
            }
            return next.isEmpty() ? null : Map.copyOf(next);
        });
        LOG.infof("model %s: alias %s %s (by %s at %s)", change.modelId(), change.alias(),
                change.cleared() ? "cleared" : "names version " + change.version(), change.changedBy(),
                change.changedAt());
    }

    /** The version an unpinned request for {@code modelId} gets, when its production alias is set. */
    public Optional<Integer> production(String modelId) {
        return Optional.ofNullable(aliases(modelId).get(ModelAliasChanged.PRODUCTION));
    }

    /** Every alias of the model and its version; empty when none is set. */
    public Map<String, Integer> aliases(String modelId) {
        return byModel.getOrDefault(modelId, Map.of());
    }

    /** Everything the topic held when this replica started has been applied. */
    public void markCaughtUp() {
        if (caughtUp.getCount() > 0) {
            caughtUp.countDown();
            LOG.infof("model aliases read up to date: %d model(s) with aliases", byModel.size());
        }
    }

    public boolean caughtUp() {
        return caughtUp.getCount() == 0;
    }

    /** Waits up to {@code timeout} for {@link #markCaughtUp}; true when caught up. */
    public boolean awaitCaughtUp(Duration timeout) {
        if (caughtUp()) {
            return true;
        }
        try {
            return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
