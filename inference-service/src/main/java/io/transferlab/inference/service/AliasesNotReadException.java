package io.transferlab.inference.service;

/**
 * An unpinned request arrived before this replica had read the model aliases: it cannot tell whether the model's
 * {@code production} alias names a version, and guessing the newest could serve the wrong one. Answered as BUSY
 * (retry shortly, or pin a version).
 */
public class AliasesNotReadException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public AliasesNotReadException(String message) {
        super(message);
    }
}
