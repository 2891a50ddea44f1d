package io.transferlab.inference.rest;

import io.transferlab.contracts.ErrorCode;

/** A failure of a {@code /v2} request, answered as {@code {"error": ...}} with {@link #status()}. */
public class OipException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final ErrorCode code;

    public OipException(int status, ErrorCode code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    public static OipException badRequest(String message) {
        return new OipException(400, ErrorCode.INVALID_SPEC, message);
    }

    public int status() {
        return status;
    }

    public ErrorCode code() {
        return code;
    }
}
