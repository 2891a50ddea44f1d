package io.transferlab.tuner.persistence;

/**
 * A record's database step could not finish because the service is stopping. The record must be neither acked
 * nor dead-lettered: it is held until the process ends and redelivered after the restart.
 */
public class ShutdownInProgressException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ShutdownInProgressException(String what, Throwable cause) {
        super(what + ": not written, the service is stopping; the record is redelivered after the restart", cause);
    }

    public static boolean in(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 32; t = t.getCause(), depth++) {
            if (t instanceof ShutdownInProgressException) {
                return true;
            }
        }
        return false;
    }
}
