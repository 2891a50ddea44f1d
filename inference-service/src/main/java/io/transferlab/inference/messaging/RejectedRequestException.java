package io.transferlab.inference.messaging;

/**
 * A classify request that cannot be processed as sent (not JSON, breaks the contract, unusable reply headers).
 * Nacking with it sends the record to {@code vision.classify.requests.dlq}; its message becomes the
 * {@code dead-letter-reason} header.
 */
public class RejectedRequestException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public RejectedRequestException(String message, Throwable cause) {
        super(message, cause);
    }
}
