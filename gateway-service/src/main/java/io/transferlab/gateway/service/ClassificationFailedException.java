package io.transferlab.gateway.service;

import io.transferlab.contracts.ErrorInfo;

/** The inference service answered with an error (its code decides the HTTP status). */
public class ClassificationFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String requestId;
    private final ErrorInfo error;

    public ClassificationFailedException(String requestId, ErrorInfo error) {
        super(error.code() + ": " + error.message());
        this.requestId = requestId;
        this.error = error;
    }

    public String requestId() {
        return requestId;
    }

    public ErrorInfo error() {
        return error;
    }
}
