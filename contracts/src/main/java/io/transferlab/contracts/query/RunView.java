package io.transferlab.contracts.query;

import io.transferlab.contracts.ErrorInfo;
import io.transferlab.contracts.train.ClassAccuracy;
import io.transferlab.contracts.train.ConfusionMatrix;
import io.transferlab.contracts.train.EpochMetrics;
import io.transferlab.contracts.train.FinalMetrics;
import io.transferlab.contracts.train.RunSpec;
import io.transferlab.contracts.train.RunStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One run as the tuner's HTTP API (and the gateway's {@code GET /api/v1/trainings/{id}}) shows it: what was asked,
 * how far it got, its per-epoch history and its final figures.
 *
 * @param owner the API key that submitted the run (a trial: its study's); only it, or an admin key, may cancel
 *        it. Null for runs recorded before owners were
 */
public record RunView(
        String runId,
        String studyId,
        Integer trialIndex,
        RunStatus status,
        RunSpec spec,
        Map<String, Object> variedFlags,
        int epochsCompleted,
        List<EpochMetrics> history,
        FinalMetrics metrics,
        ConfusionMatrix confusionMatrix,
        List<ClassAccuracy> perClassAccuracy,
        List<String> classNames,
        String modelId,
        Integer modelVersion,
        String device,
        String trainerId,
        Double imagesPerSecond,
        ErrorInfo error,
        String correlationId,
        Instant submittedAt,
        Instant startedAt,
        Instant finishedAt,
        Long durationMs,
        String owner) {
}
