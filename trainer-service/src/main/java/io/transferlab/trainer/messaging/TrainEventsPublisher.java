package io.transferlab.trainer.messaging;

import org.eclipse.microprofile.reactive.messaging.Emitter;
import io.transferlab.commons.messaging.JsonPublisher;
import io.transferlab.contracts.Topics;
import io.transferlab.contracts.model.ModelPublished;
import io.transferlab.contracts.train.TrainProgress;
import io.transferlab.contracts.train.TrainResult;
import io.transferlab.trainer.service.TrainEvents;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * Channels {@code train-progress}, {@code train-results} and {@code models} -> topics {@code vision.train.progress},
 * {@code vision.train.results} (key: run id) and {@code vision.models} (key: model id), with the correlation id and
 * CloudEvents headers; each stage completes when the broker acknowledged the record.
 */
@ApplicationScoped
public class TrainEventsPublisher implements TrainEvents {

    private final Emitter<String> progress;
    private final Emitter<String> results;
    private final Emitter<String> models;
    private final JsonPublisher publisher;

    public TrainEventsPublisher(@Channel("train-progress") Emitter<String> progress,
            @Channel("train-results") Emitter<String> results, @Channel("models") Emitter<String> models,
            JsonPublisher publisher) {
        this.progress = progress;
        this.results = results;
        this.models = models;
        this.publisher = publisher;
    }

    @Override
    public CompletionStage<Void> progress(TrainProgress message, String correlationId) {
        return publisher.publish(progress, Topics.TRAIN_PROGRESS, message.runId(), message, correlationId);
    }

    @Override
    public CompletionStage<Void> result(TrainResult message, String correlationId) {
        return publisher.publish(results, Topics.TRAIN_RESULTS, message.runId(), message, correlationId);
    }

    @Override
    public CompletionStage<Void> modelPublished(ModelPublished message, String correlationId) {
        return publisher.publish(models, Topics.MODELS, message.modelId(), message, correlationId);
    }
}
