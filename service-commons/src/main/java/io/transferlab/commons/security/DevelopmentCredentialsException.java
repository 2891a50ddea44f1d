package io.transferlab.commons.security;

/** A service in the prod profile was given a publicly known credential; the message names the setting to change. */
public class DevelopmentCredentialsException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    public DevelopmentCredentialsException(String message) {
        super(message);
    }
}
