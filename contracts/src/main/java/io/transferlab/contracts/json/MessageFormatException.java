package io.transferlab.contracts.json;

/** Bytes that are not a message of the expected type: bad JSON, an unknown field, a value of the wrong type. */
public class MessageFormatException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public MessageFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
