package io.transferlab.vision.model;

import io.transferlab.vision.MissingWeightsException;

/** A checkpoint whose tensors do not match the network's parameters: missing, unexpected or misshapen ones. */
public class IncompatibleWeightsException extends MissingWeightsException {

    private static final long serialVersionUID = 1L;

    public IncompatibleWeightsException(String message) {
        super(message);
    }
}
