package io.transferlab.trainer.service;

import io.transferlab.contracts.model.ModelPublished;
import io.transferlab.contracts.train.TrainProgress;
import io.transferlab.contracts.train.TrainResult;
import java.util.concurrent.CompletionStage;

/**
 * Where the trainer tells the world about runs. Each stage completes when the broker has acknowledged the message
 * and fails when it did not take it. The Kafka implementation lives in {@code messaging}; the service does not
 * know about channels.
 */
public interface TrainEvents {

    CompletionStage<Void> progress(TrainProgress progress, String correlationId);

    CompletionStage<Void> result(TrainResult result, String correlationId);

    CompletionStage<Void> modelPublished(ModelPublished model, String correlationId);
}
