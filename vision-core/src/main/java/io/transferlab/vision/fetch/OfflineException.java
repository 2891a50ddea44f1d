package io.transferlab.vision.fetch;

/** A file is missing and {@code TRANSFERLAB_OFFLINE=true} forbids downloading it. */
public class OfflineException extends FetchException {

    private static final long serialVersionUID = 1L;

    public OfflineException(String message) {
        super(message);
    }
}
