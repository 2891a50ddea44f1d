package io.transferlab.vision;

import io.transferlab.contracts.ErrorCode;

/** A data set that is not installed or not uploaded; the message says where it was looked for. */
public class UnknownDatasetException extends VisionException {

    private static final long serialVersionUID = 1L;

    public UnknownDatasetException(String message) {
        super(message);
    }

    public UnknownDatasetException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public ErrorCode code() {
        return ErrorCode.UNKNOWN_DATASET;
    }
}
