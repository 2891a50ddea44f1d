package io.transferlab.vision;

import io.transferlab.contracts.ErrorCode;

/** A failure of the engine that has a name: services map {@link #code()} to an HTTP status or a FAILED result. */
public abstract class VisionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    protected VisionException(String message) {
        super(message);
    }

    protected VisionException(String message, Throwable cause) {
        super(message, cause);
    }

    public abstract ErrorCode code();
}
