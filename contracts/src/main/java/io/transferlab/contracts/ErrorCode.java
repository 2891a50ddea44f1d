package io.transferlab.contracts;

/** Named failure kinds carried in results; the gateway maps each to an HTTP status. */
public enum ErrorCode {
    /** A request parsed but broke the contract (every violation is listed in the message). */
    INVALID_SPEC,
    /** Image bytes that do not decode, an unsupported format, or dimensions out of bounds. */
    INVALID_IMAGE,
    /** Pretrained weights that have not been provided on this installation. */
    MISSING_WEIGHTS,
    /** A model id the store does not know. */
    UNKNOWN_MODEL,
    /** A data set that is not installed or not uploaded. */
    UNKNOWN_DATASET,
    /** The service is at capacity; retry later. */
    BUSY,
    /** The engine ran out of memory. */
    OUT_OF_MEMORY,
    /** A training run was cancelled on request (between two batches); the run's status is CANCELLED. */
    CANCELLED,
    /** A training run whose estimated memory exceeds the trainer's budget (the numbers are in the message). */
    RESOURCE_LIMIT,
    /** A training run whose trainer died (killed, crashed) the configured number of times while running it. */
    TRAINER_CRASHED,
    /**
     * A training run that would publish a new version of a model another API key owns (the owner of its latest
     * version), submitted by a key without the admin role; nothing was published.
     */
    MODEL_OWNED,
    /** Anything else: an engine error or a bug. */
    INTERNAL
}
