package io.transferlab.contracts;

/**
 * Kafka topic names: the one place they are spelled. Every record key is the request, run, study or model id
 * ({@link #MODEL_ALIASES}: model id and alias).
 * Consumers that cannot process a record send it to {@code <topic>.dlq} with the reason in its headers.
 */
public final class Topics {

    public static final String CLASSIFY_REQUESTS = "vision.classify.requests";
    public static final String CLASSIFY_RESULTS = "vision.classify.results";
    public static final String TRAIN_REQUESTS = "vision.train.requests";
    public static final String TRAIN_PROGRESS = "vision.train.progress";
    public static final String TRAIN_RESULTS = "vision.train.results";
    public static final String TRAIN_CONTROL = "vision.train.control";
    public static final String TUNE_REQUESTS = "vision.tune.requests";
    public static final String TUNE_CONTROL = "vision.tune.control";
    public static final String MODELS = "vision.models";
    /**
     * Which version each alias of a model names ({@code production}); compacted, so that a reader from the start
     * gets every alias's current version. Key = {@code <modelId>/<alias>}.
     */
    public static final String MODEL_ALIASES = "vision.models.aliases";

    public static final String DLQ_SUFFIX = ".dlq";
    /**
     * The tuner's own dead-letter topic for train requests it cannot record: the trainers' group already
     * dead-letters unreadable requests into {@code vision.train.requests.dlq}, so the tuner's group uses its own.
     */
    public static final String TRAIN_REQUESTS_TUNER_DLQ = TRAIN_REQUESTS + ".tuner" + DLQ_SUFFIX;

    private Topics() {
    }

    public static String deadLetter(String topic) {
        return topic + DLQ_SUFFIX;
    }

    /** Every topic of the system, for scripts and tests that create them up front. */
    public static java.util.List<String> all() {
        return java.util.List.of(CLASSIFY_REQUESTS, CLASSIFY_RESULTS, TRAIN_REQUESTS, TRAIN_PROGRESS,
                TRAIN_RESULTS, TRAIN_CONTROL, TUNE_REQUESTS, TUNE_CONTROL, MODELS, MODEL_ALIASES);
    }
}
