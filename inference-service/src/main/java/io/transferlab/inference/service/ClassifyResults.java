package io.transferlab.inference.service;

import io.transferlab.contracts.ErrorInfo;
import io.transferlab.contracts.SchemaVersion;
import io.transferlab.contracts.classify.ClassifyResult;
import io.transferlab.contracts.classify.ClassifyStatus;
import io.transferlab.contracts.classify.ClassifyTimings;
import java.time.Instant;

/** Builds the {@code vision.classify.results} records. */
public final class ClassifyResults {

    private ClassifyResults() {
    }

    /**
     * @param receivedNanos {@link System#nanoTime()} when the request was consumed
     */
    public static ClassifyResult ok(String requestId, Submission submission, BatchOutcome outcome, long receivedNanos) {
        ClassifyTimings timings = new ClassifyTimings(ms(outcome.queuedNanos()), ms(submission.decodeNanos()),
                ms(outcome.inferenceNanos()), ms(System.nanoTime() - receivedNanos));
        return new ClassifyResult(SchemaVersion.CURRENT, requestId, ClassifyStatus.OK, submission.modelId(),
                submission.modelVersion(), outcome.predictions(), timings, outcome.batchSize(), null, Instant.now());
    }

    public static ClassifyResult error(String requestId, String modelId, ErrorInfo error, long receivedNanos) {
        ClassifyTimings timings = new ClassifyTimings(0, 0, 0, ms(System.nanoTime() - receivedNanos));
        return new ClassifyResult(SchemaVersion.CURRENT, requestId, ClassifyStatus.ERROR, modelId, null, null, timings,
                null, error, Instant.now());
    }

    static double ms(long nanos) {
        return Math.round(nanos / 10_000.0) / 100.0;
    }
}
