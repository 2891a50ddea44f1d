package io.transferlab.tuner.persistence;

/** PostgreSQL cannot be reached right now; HTTP answers 503 and consumers wait for it to come back. */
public class DatabaseUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public DatabaseUnavailableException(Throwable cause) {
        super("PostgreSQL is unavailable: " + TransientDatabaseErrors.describe(cause), cause);
    }
}
