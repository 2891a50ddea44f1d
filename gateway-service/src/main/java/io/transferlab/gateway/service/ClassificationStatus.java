package io.transferlab.gateway.service;

public enum ClassificationStatus {
    /** Sent; no reply yet. */
    PENDING,
    /** The reply carries predictions. */
    COMPLETED,
    /** The reply carries an error, or the request could not be sent. */
    FAILED,
    /** No reply within the reply timeout. */
    TIMED_OUT
}
