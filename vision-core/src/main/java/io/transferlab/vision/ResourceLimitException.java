package io.transferlab.vision;

import io.transferlab.contracts.ErrorCode;

/** A run that would need more memory than the trainer's budget allows; the message carries the numbers. */
public class ResourceLimitException extends VisionException {

    private static final long serialVersionUID = 1L;

    public ResourceLimitException(String message) {
        super(message);
    }

    @Override
    public ErrorCode code() {
        return ErrorCode.RESOURCE_LIMIT;
    }
}
