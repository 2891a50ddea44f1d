package io.transferlab.trainer.service;

/** What to do with a request's Kafka record once the trainer is done with it. */
public enum Disposition {
    /** Its result is published: commit it. */
    ACKNOWLEDGE,
    /** The trainer is shutting down before it could finish: leave it uncommitted so that it is run again. */
    LEAVE_UNACKNOWLEDGED
}
