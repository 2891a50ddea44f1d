package io.transferlab.inference.service;

/** The queue of images waiting for a forward pass is full: the caller should retry later. */
public class BusyException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public BusyException(String message) {
        super(message);
    }
}
