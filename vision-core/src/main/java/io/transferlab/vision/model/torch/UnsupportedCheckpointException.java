package io.transferlab.vision.model.torch;

import java.io.IOException;

/**
 * A file that is not a PyTorch checkpoint this reader accepts: a damaged archive, or a pickle that uses an opcode
 * or names a Python global outside the few a state dict of tensors needs (nothing else is ever executed).
 */
public class UnsupportedCheckpointException extends IOException {

    private static final long serialVersionUID = 1L;

    public UnsupportedCheckpointException(String message) {
        super(message);
    }
}
