package io.transferlab.vision.fetch;

/** A download completed but its bytes do not hash to the published checksum; it was deleted, not used. */
public class ChecksumMismatchException extends FetchException {

    private static final long serialVersionUID = 1L;

    public ChecksumMismatchException(String message) {
        super(message);
    }
}
