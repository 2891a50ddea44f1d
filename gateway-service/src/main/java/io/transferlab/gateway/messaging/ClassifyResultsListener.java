package io.transferlab.gateway.messaging;

import io.transferlab.contracts.classify.ClassifyResult;
import io.transferlab.contracts.json.Json;
import io.transferlab.contracts.json.MessageFormatException;
import io.transferlab.gateway.service.ClassificationStore;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Channel {@code classify-results}: every result on {@code vision.classify.results}, read by each replica with a
 * consumer group of its own, so that {@code GET /classifications/{id}} answers on any replica.
 */
@ApplicationScoped
public class ClassifyResultsListener {

    private static final Logger LOG = Logger.getLogger(ClassifyResultsListener.class);

    private final ClassificationStore store;

    public ClassifyResultsListener(ClassificationStore store) {
        this.store = store;
    }

    @Incoming("classify-results")
    public void onResult(String payload) {
        try {
            ClassifyResult result = Json.read(payload, ClassifyResult.class);
            if (result.requestId() != null) {
                store.result(result);
            }
        } catch (MessageFormatException e) {
            // Observers do not dead-letter: every replica would file the same record. The producer's DLQ is theirs.
            LOG.warnf("ignored an unreadable record on vision.classify.results: %s", e.getMessage());
        }
    }
}
