package io.transferlab.contracts.model;

import java.time.Instant;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Topic {@code vision.models.aliases} (compacted), key = {@link #key()}: an alias of a model now names a version,
 * or no longer names one. Readers that start from the beginning of the topic end up with every alias's current
 * version, which is why the topic is compacted rather than deleted after a retention time.
 *
 * @param alias the alias's name ({@link #NAME}); the gateway accepts only {@link #ACCEPTED} for now
 * @param version the version the alias names from now on; null when the alias was cleared
 * @param changedBy the name of the gateway API key that made the change
 */
public record ModelAliasChanged(
        int schemaVersion,
        String modelId,
        String alias,
        Integer version,
        String changedBy,
        Instant changedAt) {

    /** The version that serves a model named without a pin ({@code model=digits}), when set. */
    public static final String PRODUCTION = "production";
    /**
     * The alias names the API takes today. Everything below the API (this record, the topic, the inference service,
     * the tuner's table) works for any name that matches {@link #NAME}; only what each name means has to be decided
     * before another one is let in.
     */
    public static final Set<String> ACCEPTED = Set.of(PRODUCTION);
    /** An alias name: lower-case, short, safe in a path segment and a Kafka key. */
    public static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,31}");
    /** Between model id and alias in the record key; neither can contain it. */
    public static final char KEY_SEPARATOR = '/';

    /** A change that points {@code alias} at {@code version}, or clears it when {@code version} is null. */
    public static ModelAliasChanged of(String modelId, String alias, Integer version, String changedBy, Instant at) {
        return new ModelAliasChanged(io.transferlab.contracts.SchemaVersion.CURRENT, modelId, alias, version,
                changedBy, at);
    }

    public boolean cleared() {
        return version == null;
    }

    /**
     * The record key, {@code <modelId>/<alias>}: compaction keeps the last change per key, so each alias of each model
     * needs a key of its own (keyed by model id alone, setting a second alias would compact the first one away).
     */
    public String key() {
        return modelId + KEY_SEPARATOR + alias;
    }
}
