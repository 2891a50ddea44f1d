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
        Instant createdAt) {
}
