package io.transferlab.contracts;

/** Kafka header names shared by producers and consumers. */
public final class MessageHeaders {

    /** Follows a user's request through every service and log line. */
    public static final String CORRELATION_ID = "x-correlation-id";
    /** Set by SmallRye's dead-letter-queue failure strategy on records in a {@code .dlq} topic. */
    public static final String DEAD_LETTER_REASON = "dead-letter-reason";
    public static final String DEAD_LETTER_CAUSE = "dead-letter-cause";
    /** CloudEvents binary-mode headers (Kafka protocol binding). */
    public static final String CE_TYPE = "ce_type";
    public static final String CE_SOURCE = "ce_source";
    public static final String CE_ID = "ce_id";
    public static final String CE_SPECVERSION = "ce_specversion";

    private MessageHeaders() {
    }
}
