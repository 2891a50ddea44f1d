package io.transferlab.vision.fetch;

/** A file could not be fetched: offline, unreachable, too large, or its bytes were not the published ones. */
public class FetchException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public FetchException(String message) {
        super(message);
    }

    public FetchException(String message, Throwable cause) {
        super(message, cause);
    }
}
