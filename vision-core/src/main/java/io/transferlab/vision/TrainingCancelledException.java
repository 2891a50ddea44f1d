package io.transferlab.vision;

import io.transferlab.contracts.ErrorCode;

/** A training run stopped between two batches because its {@link io.transferlab.vision.train.CancellationToken} was cancelled. */
public class TrainingCancelledException extends VisionException {

    private static final long serialVersionUID = 1L;

    public TrainingCancelledException(String message) {
        super(message);
    }

    public TrainingCancelledException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public ErrorCode code() {
        return ErrorCode.CANCELLED;
    }
}
