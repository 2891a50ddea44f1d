package io.transferlab.gateway.service;

/**
 * This replica knows that a classification sent now would not be answered: the broker does not answer, or the
 * reply partitions are not positioned yet (readiness is DOWN). Answered 503 with Retry-After at once, instead of
 * letting the caller wait for the reply timeout.
 */
public class BrokerAwayException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public BrokerAwayException(String why) {
        super(why);
    }
}
