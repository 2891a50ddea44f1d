package io.transferlab.gateway.service;

/**
 * A service the gateway depends on (the tuner's query API) did not answer usefully: unreachable (503), answered
 * with a server error (502) or too slowly (504).
 */
public class UpstreamException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;

    public UpstreamException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
