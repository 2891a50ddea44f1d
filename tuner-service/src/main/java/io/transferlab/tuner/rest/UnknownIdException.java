package io.transferlab.tuner.rest;

/** A study, run or model id the tuner has no record of (HTTP 404). */
public class UnknownIdException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public UnknownIdException(String kind, String id) {
        super("no " + kind + " with id '" + id + "' is recorded");
    }
}
