package io.transferlab.inference.service;

import io.transferlab.contracts.ErrorCode;
import io.transferlab.contracts.ErrorInfo;
import io.transferlab.contracts.json.MessageFormatException;
import io.transferlab.contracts.validation.ValidationException;
import io.transferlab.vision.VisionException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** The one place a failure gets its name: every transport reports what this says. */
public final class Failures {

    private Failures() {
    }

    public static ErrorInfo describe(Throwable failure) {
        Throwable t = unwrap(failure);
        if (t instanceof VisionException v) {
            return ErrorInfo.of(v.code(), v.getMessage());
        }
        if (t instanceof BatcherBusyException || t instanceof AliasesNotReadException) {
            return ErrorInfo.of(ErrorCode.BUSY, t.getMessage());
        }
        if (t instanceof MessageFormatException || t instanceof ValidationException) {
            return ErrorInfo.of(ErrorCode.INVALID_SPEC, t.getMessage());
        }
        if (t instanceof OutOfMemoryError) {
            return ErrorInfo.of(ErrorCode.OUT_OF_MEMORY, "out of memory: " + t.getMessage());
        }
        return ErrorInfo.of(ErrorCode.INTERNAL, "internal error: " + t.getClass().getSimpleName()
                + (t.getMessage() == null ? "" : ": " + t.getMessage()));
    }

    public static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
