package io.transferlab.gateway.service;

/** A cancel of a run or study another API key owns, by a caller that is no admin (403). */
public class NotOwnerException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param what e.g. {@code run 'run-...'}; the owner is not named (the caller is not that key) */
    public NotOwnerException(String what) {
        super(what + " belongs to another key: only that key, or a key with the admin role, may cancel it");
    }
}
