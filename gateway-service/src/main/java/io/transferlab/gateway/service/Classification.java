package io.transferlab.gateway.service;

import io.transferlab.contracts.ErrorInfo;
import io.transferlab.contracts.classify.ClassifyResult;
import io.transferlab.contracts.classify.ClassifyTimings;
import io.transferlab.contracts.classify.Prediction;
import java.time.Instant;
import java.util.List;

/**
 * A classification as the API shows it ({@code POST} 200 and {@code GET /classifications/{id}}).
 *
 * @param modelVersion the version that answered; while PENDING, the pinned version ({@code model=digits@3}) or null
 * @param imageFormat, width, height what the gateway read from the image header (null on other replicas)
 */
public record Classification(
        String requestId,
        ClassificationStatus status,
        String modelId,
        Integer modelVersion,
        Integer topK,
        List<Prediction> predictions,
        ClassifyTimings timings,
        Integer batchSize,
        ErrorInfo error,
        String imageFormat,
        Integer width,
        Integer height,
        Instant submittedAt,
        Instant completedAt,
        String location) {

    public static String locationOf(String requestId) {
        return "/api/v1/classifications/" + requestId;
    }

    static Classification pending(String requestId, String modelId, Integer pinnedVersion, int topK, ImageInfo image,
            Instant at) {
        return new Classification(requestId, ClassificationStatus.PENDING, modelId, pinnedVersion, topK, null, null,
                null, null, image == null ? null : image.format().mediaType(), image == null ? null : image.width(),
                image == null ? null : image.height(), at, null, locationOf(requestId));
    }

    Classification withResult(ClassifyResult r) {
        boolean ok = r.status() == io.transferlab.contracts.classify.ClassifyStatus.OK;
        return new Classification(requestId, ok ? ClassificationStatus.COMPLETED : ClassificationStatus.FAILED,
                r.modelId() != null ? r.modelId() : modelId, r.modelVersion(), topK, r.predictions(), r.timings(),
                r.batchSize(), r.error(), imageFormat, width, height, submittedAt,
                r.completedAt() != null ? r.completedAt() : Instant.now(), location);
    }

    Classification withFailure(ClassificationStatus status, ErrorInfo why) {
        return new Classification(requestId, status, modelId, null, topK, null, null, null, why, imageFormat, width,
                height, submittedAt, Instant.now(), location);
    }

    static Classification fromResult(ClassifyResult r) {
        return new Classification(r.requestId(), ClassificationStatus.PENDING, r.modelId(), null, null, null, null,
                null, null, null, null, null, null, null, locationOf(r.requestId())).withResult(r);
    }
}
