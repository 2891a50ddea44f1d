package io.transferlab.gateway.service;

/** This replica has as much in flight as it is configured to hold (503 with Retry-After). */
public class ReplicaBusyException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ReplicaBusyException(String message) {
        super(message);
    }
}
