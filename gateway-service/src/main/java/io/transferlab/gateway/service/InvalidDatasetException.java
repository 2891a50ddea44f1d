package io.transferlab.gateway.service;

/** An uploaded archive that cannot become a data set: not a zip, zip-slip paths, fewer than two classes (400). */
public class InvalidDatasetException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InvalidDatasetException(String message) {
        super(message);
    }
}
