package io.transferlab.tuner.messaging;

import org.eclipse.microprofile.reactive.messaging.Emitter;
import io.transferlab.commons.messaging.BrokerUnavailableException;
import io.transferlab.commons.messaging.JsonPublisher;
import io.transferlab.contracts.Topics;
import io.transferlab.contracts.train.TrainControl;
import io.transferlab.contracts.train.TrainRequest;
import io.transferlab.tuner.config.TunerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * Channels {@code train-requests-out} -> {@code vision.train.requests} and {@code train-control-out} ->
 * {@code vision.train.control}. Each send returns only once the broker acknowledged it, so the caller records a
 * trial as dispatched (or a cancel as sent) only when it really is.
 */
@ApplicationScoped
public class TrainTopicsPublisher {

    private final Emitter<String> requests;
    private final Emitter<String> controls;
    private final JsonPublisher publisher;
    private final Duration timeout;

    public TrainTopicsPublisher(@Channel("train-requests-out") Emitter<String> requests,
            @Channel("train-control-out") Emitter<String> controls, JsonPublisher publisher, TunerConfig config) {
        this.requests = requests;
        this.controls = controls;
        this.publisher = publisher;
        this.timeout = config.publishTimeout();
    }

    /** @throws BrokerUnavailableException when the broker did not take it within the publish timeout */
    public void send(TrainRequest request) {
        await(publisher.publish(requests, Topics.TRAIN_REQUESTS, request.runId(), request, request.correlationId()),
                Topics.TRAIN_REQUESTS);
    }

    /** @throws BrokerUnavailableException when the broker did not take it within the publish timeout */
    public void send(TrainControl control, String correlationId) {
        await(publisher.publish(controls, Topics.TRAIN_CONTROL, control.runId(), control, correlationId),
                Topics.TRAIN_CONTROL);
    }

    private void await(CompletionStage<Void> sent, String topic) {
        try {
            sent.toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerUnavailableException(topic, e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof BrokerUnavailableException b ? b : new BrokerUnavailableException(topic, e.getCause());
        } catch (TimeoutException e) {
            throw new BrokerUnavailableException(topic, new TimeoutException("no acknowledgement within " + timeout));
        }
    }
}
