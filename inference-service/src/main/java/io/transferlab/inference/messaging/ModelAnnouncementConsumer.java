package io.transferlab.inference.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.transferlab.contracts.json.Json;
import io.transferlab.contracts.json.MessageFormatException;
import io.transferlab.contracts.model.ModelPublished;
import io.transferlab.inference.service.ModelCache;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Hot reload: when {@code vision.models} announces a new version of a model this instance has loaded, load it and
 * swap it in; requests in flight finish on the old version. Every replica hears every announcement (a consumer
 * group per instance). A version that cannot be loaded is logged and the old one keeps serving; an announcement
 * that is not a {@link ModelPublished} goes to {@code vision.models.dlq}.
 */
@ApplicationScoped
public class ModelAnnouncementConsumer {

    private static final Logger LOG = Logger.getLogger(ModelAnnouncementConsumer.class);
    /** Only the id and version matter here: fields a newer trainer adds must not make the announcement unreadable. */
    private static final ObjectMapper TOLERANT = Json.configure(new ObjectMapper())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final ModelCache cache;

    public ModelAnnouncementConsumer(ModelCache cache) {
        this.cache = cache;
    }

    @Incoming(Channels.MODEL_ANNOUNCEMENTS)
    @Blocking
    public void onModelPublished(String payload) {
        ModelPublished published = read(payload);
        try {
            if (cache.reload(published.modelId(), published.version())) {
                return;
            }
            LOG.debugf("model %s v%d announced: not loaded here or already current", published.modelId(),
                    published.version());
        } catch (RuntimeException e) {
            LOG.warnf("model %s v%d announced but cannot be loaded (the loaded version keeps serving): %s",
                    published.modelId(), published.version(), e.getMessage());
        }
    }

    private static ModelPublished read(String payload) {
        if (payload == null || payload.isBlank()) {
            throw new MessageFormatException("empty model announcement", null);
        }
        ModelPublished published;
        try {
            published = TOLERANT.readValue(payload, ModelPublished.class);
        } catch (JsonProcessingException e) {
            throw new MessageFormatException(Json.describe(e, ModelPublished.class), e);
        }
        if (published.modelId() == null || published.modelId().isBlank() || published.version() < 1) {
            throw new MessageFormatException("a model announcement needs a modelId and a version >= 1", null);
        }
        return published;
    }
}
