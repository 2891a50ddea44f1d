package io.transferlab.vision.store;

import io.transferlab.contracts.ErrorCode;
import io.transferlab.vision.VisionException;

/**
 * A stored model's weights file is not the one that was published: its SHA-256 differs from the card's
 * {@code weightsSha256} (changed, truncated or replaced on the volume). The store refuses to serve it; to the caller
 * the model's valid weights are missing.
 */
public class WeightsChecksumException extends VisionException {

    private static final long serialVersionUID = 1L;

    public WeightsChecksumException(String message) {
        super(message);
    }

    @Override
    public ErrorCode code() {
        return ErrorCode.MISSING_WEIGHTS;
    }
}
