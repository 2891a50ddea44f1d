package io.transferlab.contracts.model;

import io.transferlab.contracts.train.FinalMetrics;
import io.transferlab.contracts.train.RunSpec;
import java.time.Instant;
import java.util.List;

/**
 * Topic {@code vision.models}, key = modelId: a model (version) is in the store and can be served.
 *
 * @param version increases each time a run publishes into the same model id
 * @param location the model's folder relative to the model store root
 * @param lineage where the backbone came from: {@code imagenet:resnet50}, {@code run:<id>}, {@code random}...
 * @param owner the API key whose run published this version (its model card's owner); the owner of a model id's
 *        latest version owns the model id. Null for versions published before owners were recorded
 */
public record ModelPublished(
        int schemaVersion,
        String modelId,
        int version,
        String runId,
        RunSpec spec,
        List<String> classNames,
        FinalMetrics metrics,
        String location,
        String lineage,
        Instant createdAt,
        String owner) {

    /** An announcement without an owner: the shape of schema version 1. */
    public ModelPublished(int schemaVersion, String modelId, int version, String runId, RunSpec spec,
            List<String> classNames, FinalMetrics metrics, String location, String lineage, Instant createdAt) {
        this(schemaVersion, modelId, version, runId, spec, classNames, metrics, location, lineage, createdAt, null);
    }
}
