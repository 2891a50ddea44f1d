package io.transferlab.gateway.service;

/** A body, image or archive larger than its configured limit (413). */
public class PayloadTooLargeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public PayloadTooLargeException(String message) {
        super(message);
    }
}
