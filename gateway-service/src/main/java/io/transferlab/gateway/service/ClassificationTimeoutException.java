package io.transferlab.gateway.service;

import java.time.Duration;

/** No reply within the synchronous timeout (504); the result may still arrive and be read by id later. */
public class ClassificationTimeoutException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String requestId;

    public ClassificationTimeoutException(String requestId, Duration waited) {
        super("no classification reply within " + waited.toMillis() + " ms for request " + requestId
                + "; it may still finish: GET /api/v1/classifications/" + requestId);
        this.requestId = requestId;
    }

    public String requestId() {
        return requestId;
    }
}
