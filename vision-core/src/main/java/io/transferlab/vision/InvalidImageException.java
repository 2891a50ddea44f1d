package io.transferlab.vision;

import io.transferlab.contracts.ErrorCode;

/** Image bytes that do not decode, a format other than JPEG or PNG, or dimensions out of bounds. */
public class InvalidImageException extends VisionException {

    private static final long serialVersionUID = 1L;

    public InvalidImageException(String message) {
        super(message);
    }

    public InvalidImageException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public ErrorCode code() {
        return ErrorCode.INVALID_IMAGE;
    }
}
