package io.transferlab.trainer.service;

import io.transferlab.contracts.ErrorInfo;
import io.transferlab.contracts.SchemaVersion;
import io.transferlab.contracts.model.ModelPublished;
import io.transferlab.contracts.train.EpochMetrics;
import io.transferlab.contracts.train.RunSpec;
import io.transferlab.contracts.train.RunStatus;
import io.transferlab.contracts.train.TrainRequest;
import io.transferlab.contracts.train.TrainResult;
import io.transferlab.vision.store.ModelCard;
import io.transferlab.vision.store.ModelStore;
import io.transferlab.vision.train.TrainingOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Builds the messages that describe a finished run, stamped with this replica's id and device. */
public final class RunResults {

    private final String trainerId;
    private final String device;

    public RunResults(String trainerId, String device) {
        this.trainerId = trainerId;
        this.device = device;
    }

    public TrainResult succeeded(TrainRequest request, TrainingOutcome outcome, Instant startedAt, Instant finishedAt) {
        ModelCard card = outcome.card();
        return new TrainResult(SchemaVersion.CURRENT, request.runId(), request.studyId(), RunStatus.SUCCEEDED,
                // the card's spec is what ran: defaults and the engine's own choices (image size...) resolved
                card != null ? card.spec() : resolved(request.spec()),
                outcome.history(), outcome.metrics(), outcome.confusionMatrix(), outcome.perClassAccuracy(),
                outcome.classNames(), outcome.modelId(), outcome.modelVersion(), outcome.device(), trainerId,
                startedAt, finishedAt, Duration.between(startedAt, finishedAt).toMillis(), outcome.imagesPerSecond(),
                null);
    }

    /** A FAILED or CANCELLED result; {@code history} holds the epochs that finished before it stopped. */
    public TrainResult stopped(TrainRequest request, RunStatus status, ErrorInfo error, List<EpochMetrics> history,
            Double imagesPerSecond, Instant startedAt, Instant finishedAt) {
        return new TrainResult(SchemaVersion.CURRENT, request.runId(), request.studyId(), status,
                resolved(request.spec()), List.copyOf(history), null, null, List.of(), null, null, null, device,
                trainerId, startedAt, finishedAt, Duration.between(startedAt, finishedAt).toMillis(), imagesPerSecond,
                error);
    }

    /** The announcement of a model version; its location is relative to the store root. */
    public static ModelPublished announcement(ModelStore store, ModelCard card) {
        String location = store.root().relativize(store.location(card)).toString().replace('\\', '/');
        return new ModelPublished(SchemaVersion.CURRENT, card.modelId(), card.version(), card.runId(), card.spec(),
                card.classNames(), card.metrics(), location, card.lineage(), card.createdAt(), card.owner());
    }

    private static RunSpec resolved(RunSpec spec) {
        return spec == null ? null : spec.withDefaults();
    }
}
