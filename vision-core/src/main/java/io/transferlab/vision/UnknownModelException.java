package io.transferlab.vision;

import io.transferlab.contracts.ErrorCode;

/** A model id (or version) the store does not hold. */
public class UnknownModelException extends VisionException {

    private static final long serialVersionUID = 1L;

    public UnknownModelException(String message) {
        super(message);
    }

    public UnknownModelException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public ErrorCode code() {
        return ErrorCode.UNKNOWN_MODEL;
    }
}
