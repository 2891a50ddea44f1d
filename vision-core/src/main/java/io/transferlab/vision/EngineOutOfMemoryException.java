package io.transferlab.vision;

import io.transferlab.contracts.ErrorCode;

/** The engine could not allocate memory for a tensor (the batch or image size is too large for this machine). */
public class EngineOutOfMemoryException extends VisionException {

    private static final long serialVersionUID = 1L;

    public EngineOutOfMemoryException(String message) {
        super(message);
    }

    public EngineOutOfMemoryException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public ErrorCode code() {
        return ErrorCode.OUT_OF_MEMORY;
    }
}
