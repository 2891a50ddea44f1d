package io.transferlab.gateway.service;

/** A cancel of a run or study, or an alias change of a model, another API key owns, by a caller that is no admin (403). */
public class NotOwnerException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param what e.g. {@code run 'run-...'}; the owner is not named (the caller is not that key) */
    public NotOwnerException(String what) {
        this(what, "cancel it");
    }

    /** @param action what only the owner (or an admin) may do, e.g. {@code move its aliases} */
    public NotOwnerException(String what, String action) {
        super(what + " belongs to another key: only that key, or a key with the admin role, may " + action);
    }
}
