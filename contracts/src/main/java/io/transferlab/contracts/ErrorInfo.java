package io.transferlab.contracts;

import java.util.Objects;

/** Why something failed, for people (message) and programs (code). */
public record ErrorInfo(ErrorCode code, String message) {

    public ErrorInfo {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }

    public static ErrorInfo of(ErrorCode code, String message) {
        return new ErrorInfo(code, message);
    }
}
