package io.transferlab.commons.messaging;

/** The broker did not take a message in time: callers answer 503 or retry, nothing is reported as sent. */
public class BrokerUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public BrokerUnavailableException(String topic, Throwable cause) {
        super("Kafka did not accept the message for " + topic + ": "
                + (cause == null ? "unknown reason" : cause.getMessage()), cause);
    }
}
