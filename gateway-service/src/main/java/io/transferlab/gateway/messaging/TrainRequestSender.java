package io.transferlab.gateway.messaging;

import io.transferlab.commons.messaging.JsonPublisher;
import io.transferlab.contracts.Topics;
import io.transferlab.contracts.train.TrainRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

/** Channel {@code train-requests} -> topic {@code vision.train.requests}. */
@ApplicationScoped
public class TrainRequestSender {

    private final Emitter<String> emitter;
    private final JsonPublisher publisher;

    public TrainRequestSender(@Channel("train-requests") Emitter<String> emitter, JsonPublisher publisher) {
        this.emitter = emitter;
        this.publisher = publisher;
    }

    public CompletionStage<Void> send(TrainRequest request) {
        return publisher.publish(emitter, Topics.TRAIN_REQUESTS, request.runId(), request, request.correlationId());
    }
}
