package io.transferlab.inference.service;

/** The queue of images waiting for a forward pass is full: the caller should retry later. */
public class BatcherBusyException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public BatcherBusyException(String message) {
        super(message);
    }
}
