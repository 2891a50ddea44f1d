package io.transferlab.commons.problem;

import java.util.Optional;

/**
 * Recognises the failures of the HTTP layer's body decoders (Netty's multipart and form decoders, RESTEasy
 * Reactive's multipart parser) wherever they surface: a body the caller broke is a 400 (or 413 for too many
 * fields), never a 500.
 */
public final class MalformedBodies {

    private MalformedBodies() {
    }

    /** The problem for a decoder failure anywhere in the cause chain, or empty when {@code failure} is not one. */
    public static Optional<Problem> problemFor(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String name = t.getClass().getName();
            // RESTEasy Reactive's multipart parser: "Param limit of 1000 was exceeded"
            boolean paramLimit = t.getMessage() != null && t.getMessage().startsWith("Param limit of");
            if (paramLimit || name.endsWith("TooManyFormFieldsException") || name.endsWith("TooLongFormFieldException")) {
                return Optional.of(new Problem(Problems.TYPE_BASE + "payload-too-large", "Payload Too Large", 413,
                        "the form has too many or too long fields: " + message(t), null, null));
            }
            if (name.startsWith("io.netty.handler.codec.") || name.endsWith("MalformedMessageException")
                    || t instanceof java.io.IOException && fromMultipartParser(t)
                    || name.contains("multipart.HttpPostRequestDecoder") || name.endsWith("ErrorDataDecoderException")) {
                return Optional.of(new Problem(Problems.TYPE_BASE + "malformed-body", "Bad Request", 400,
                        "the request body could not be decoded (" + message(t) + "); for multipart/form-data check "
                                + "that the boundary in Content-Type matches the body and that the body ends with "
                                + "the closing boundary", null, null));
            }
        }
        return Optional.empty();
    }

    /** RESTEasy Reactive's multipart parser reports a truncated or foreign body as a plain IOException. */
    private static boolean fromMultipartParser(Throwable t) {
        StackTraceElement[] stack = t.getStackTrace();
        for (int i = 0; i < Math.min(3, stack.length); i++) {
            if (stack[i].getClassName().contains(".multipart.")) {
                return true;
            }
        }
        return t.getMessage() != null && t.getMessage().contains("multipart");
    }

    private static String message(Throwable t) {
        return t.getMessage() == null || t.getMessage().isBlank() ? t.getClass().getSimpleName() : t.getMessage();
    }
}
