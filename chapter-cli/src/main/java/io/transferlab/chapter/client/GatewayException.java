package io.transferlab.chapter.client;

/** The gateway answered with an error; the message carries its problem detail. */
public class GatewayException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;

    public GatewayException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
