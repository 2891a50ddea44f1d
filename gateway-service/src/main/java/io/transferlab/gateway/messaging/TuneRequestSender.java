package io.transferlab.gateway.messaging;

import io.transferlab.commons.messaging.JsonPublisher;
import io.transferlab.contracts.Topics;
import io.transferlab.contracts.tune.TuneRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

/** Channel {@code tune-requests} -> topic {@code vision.tune.requests}, key = study id. */
@ApplicationScoped
public class TuneRequestSender {

    private final Emitter<String> emitter;
    private final JsonPublisher publisher;

    public TuneRequestSender(@Channel("tune-requests") Emitter<String> emitter, JsonPublisher publisher) {
        this.emitter = emitter;
        this.publisher = publisher;
    }

    public CompletionStage<Void> send(TuneRequest request) {
        return publisher.publish(emitter, Topics.TUNE_REQUESTS, request.studyId(), request, request.correlationId());
    }
}
