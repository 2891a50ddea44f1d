package io.transferlab.inference.messaging;

/** Reply headers this service will not honour: a topic outside the allowed ones, a partition that is not an int. */
public class InvalidReplyRouteException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InvalidReplyRouteException(String message) {
        super(message);
    }
}
