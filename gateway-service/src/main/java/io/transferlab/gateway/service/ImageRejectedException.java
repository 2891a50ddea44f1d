package io.transferlab.gateway.service;

/**
 * Bytes that are not an acceptable image. {@link Reason} decides the HTTP status: not JPEG/PNG at all (415),
 * a JPEG/PNG whose header is corrupt (400), dimensions out of bounds (422).
 */
public class ImageRejectedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public enum Reason {
        UNSUPPORTED_MEDIA_TYPE,
        CORRUPT_HEADER,
        DIMENSIONS_OUT_OF_BOUNDS
    }

    private final Reason reason;

    public ImageRejectedException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
