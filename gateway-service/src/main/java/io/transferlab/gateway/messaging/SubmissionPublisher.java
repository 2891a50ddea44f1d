package io.transferlab.gateway.messaging;

import org.eclipse.microprofile.reactive.messaging.Emitter;
import io.transferlab.commons.messaging.JsonPublisher;
import io.transferlab.contracts.Topics;
import io.transferlab.contracts.train.TrainRequest;
import io.transferlab.contracts.tune.TuneRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * What users submit: channel {@code train-requests} -> {@code vision.train.requests} and {@code tune-requests} ->
 * {@code vision.tune.requests}. Each send completes when the broker has the record.
 */
@ApplicationScoped
public class SubmissionPublisher {

    private final Emitter<String> trainRequests;
    private final Emitter<String> tuneRequests;
    private final JsonPublisher publisher;

    public SubmissionPublisher(@Channel("train-requests") Emitter<String> trainRequests,
            @Channel("tune-requests") Emitter<String> tuneRequests, JsonPublisher publisher) {
        this.trainRequests = trainRequests;
        this.tuneRequests = tuneRequests;
        this.publisher = publisher;
    }

    public CompletionStage<Void> train(TrainRequest request) {
        return publisher.publish(trainRequests, Topics.TRAIN_REQUESTS, request.runId(), request,
                request.correlationId());
    }

    public CompletionStage<Void> tune(TuneRequest request) {
        return publisher.publish(tuneRequests, Topics.TUNE_REQUESTS, request.studyId(), request,
                request.correlationId());
    }
}
