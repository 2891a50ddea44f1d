package io.transferlab.gateway.service;

/** An id that names nothing known (404): a run, study, model, data set or classification. */
public class UnknownResourceException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public UnknownResourceException(String message) {
        super(message);
    }
}
