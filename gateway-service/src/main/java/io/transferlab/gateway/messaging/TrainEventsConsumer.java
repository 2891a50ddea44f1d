package io.transferlab.gateway.messaging;

import io.transferlab.contracts.json.Json;
import io.transferlab.contracts.json.MessageFormatException;
import io.transferlab.contracts.train.TrainProgress;
import io.transferlab.contracts.train.TrainResult;
import io.transferlab.gateway.service.RunEventHub;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Channels {@code train-progress} and {@code train-results}: each replica reads every record (a consumer group per
 * instance) and hands it to the SSE clients connected to this replica. Keys are run ids, so one run's records
 * arrive in order.
 */
@ApplicationScoped
public class TrainEventsConsumer {

    private static final Logger LOG = Logger.getLogger(TrainEventsConsumer.class);

    private final RunEventHub hub;

    public TrainEventsConsumer(RunEventHub hub) {
        this.hub = hub;
    }

    @Incoming("train-progress")
    public void onProgress(String payload) {
        try {
            hub.progress(Json.read(payload, TrainProgress.class), payload);
        } catch (MessageFormatException e) {
            LOG.warnf("ignored an unreadable record on vision.train.progress: %s", e.getMessage());
        }
    }

    @Incoming("train-results")
    public void onResult(String payload) {
        try {
            hub.result(Json.read(payload, TrainResult.class), payload);
        } catch (MessageFormatException e) {
            LOG.warnf("ignored an unreadable record on vision.train.results: %s", e.getMessage());
        }
    }
}
