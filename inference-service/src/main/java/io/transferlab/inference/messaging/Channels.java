package io.transferlab.inference.messaging;

/** Channel names; each is bound to its topic in application.properties. */
public final class Channels {

    /** {@code vision.classify.requests}, consumer group {@code transferlab-inference} shared by the replicas. */
    public static final String CLASSIFY_REQUESTS = "classify-requests";
    /** {@code vision.classify.results} by default; each record goes where its request asked. */
    public static final String CLASSIFY_RESULTS = "classify-results";
    /** {@code vision.models}, in a consumer group of this instance's own so that every replica hears every model. */
    public static final String MODEL_ANNOUNCEMENTS = "model-announcements";
    /**
     * {@code vision.models.aliases}, in a consumer group of this instance's own read from the beginning, so that
     * every replica knows every alias.
     */
    public static final String MODEL_ALIASES = "model-aliases";

    private Channels() {
    }
}
