package io.transferlab.vision;

import io.transferlab.contracts.ErrorCode;

/** Pretrained weights that have not been provided on this installation; the message says which file and how to make it. */
public class MissingWeightsException extends VisionException {

    private static final long serialVersionUID = 1L;

    public MissingWeightsException(String message) {
        super(message);
    }

    public MissingWeightsException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public ErrorCode code() {
        return ErrorCode.MISSING_WEIGHTS;
    }
}
