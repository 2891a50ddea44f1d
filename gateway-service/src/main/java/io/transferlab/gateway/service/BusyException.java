package io.transferlab.gateway.service;

/** This replica has as much in flight as it is configured to hold (503 with Retry-After). */
public class BusyException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public BusyException(String message) {
        super(message);
    }
}
