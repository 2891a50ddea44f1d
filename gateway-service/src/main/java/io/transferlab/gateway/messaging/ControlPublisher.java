package io.transferlab.gateway.messaging;

import org.eclipse.microprofile.reactive.messaging.Emitter;
import io.transferlab.commons.messaging.JsonPublisher;
import io.transferlab.contracts.Topics;
import io.transferlab.contracts.train.TrainControl;
import io.transferlab.contracts.tune.TuneControl;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Channel;

/** Channels {@code train-control} -> {@code vision.train.control} and {@code tune-control} -> {@code vision.tune.control}. */
@ApplicationScoped
public class ControlPublisher {

    private final Emitter<String> trainControl;
    private final Emitter<String> tuneControl;
    private final JsonPublisher publisher;

    public ControlPublisher(@Channel("train-control") Emitter<String> trainControl,
            @Channel("tune-control") Emitter<String> tuneControl, JsonPublisher publisher) {
        this.trainControl = trainControl;
        this.tuneControl = tuneControl;
        this.publisher = publisher;
    }

    public CompletionStage<Void> send(TrainControl control, String correlationId) {
        return publisher.publish(trainControl, Topics.TRAIN_CONTROL, control.runId(), control, correlationId);
    }

    public CompletionStage<Void> send(TuneControl control, String correlationId) {
        return publisher.publish(tuneControl, Topics.TUNE_CONTROL, control.studyId(), control, correlationId);
    }
}
