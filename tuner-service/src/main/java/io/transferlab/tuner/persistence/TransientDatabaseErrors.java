package io.transferlab.tuner.persistence;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;

/**
 * Tells an outage (PostgreSQL unreachable, restarting, out of connections, a lost serialization race) from a
 * write that can never succeed (a constraint or data error). Consumers wait out the first and let the second
 * fail to the dead-letter topic, so a poison record cannot block a partition forever.
 */
public final class TransientDatabaseErrors {

    /** SQLSTATEs that clear up by themselves: class 08 (connection) is matched by prefix. */
    private static final Set<String> TRANSIENT_STATES = Set.of(
            "57P01", // admin_shutdown: the server is stopping
            "57P02", // crash_shutdown
            "57P03", // cannot_connect_now: starting up or in recovery
            "53300", // too_many_connections
            "53400", // configuration_limit_exceeded
            "40001", // serialization_failure
            "40P01"); // deadlock_detected

    private TransientDatabaseErrors() {
    }

    public static boolean isTransient(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 32; t = t.getCause(), depth++) {
            if (t instanceof SQLTransientException || t instanceof SQLRecoverableException
                    || t instanceof SQLNonTransientConnectionException || t instanceof ConnectException
                    || t instanceof DatabaseUnavailableException) {
                return true;
            }
            if (t instanceof org.hibernate.exception.JDBCConnectionException) {
                return true;
            }
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                if (state != null && (state.startsWith("08") || TRANSIENT_STATES.contains(state))) {
                    return true;
                }
                // Agroal gives up waiting for a pooled connection without a SQLSTATE.
                String message = sql.getMessage();
                if (state == null && message != null && message.toLowerCase(java.util.Locale.ROOT).contains("acquisition timeout")) {
                    return true;
                }
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /** One line naming the innermost cause, for logs and health data. */
    public static String describe(Throwable failure) {
        Throwable root = failure;
        int depth = 0;
        while (root.getCause() != null && root.getCause() != root && depth++ < 32) {
            root = root.getCause();
        }
        String state = root instanceof SQLException sql && sql.getSQLState() != null ? " [" + sql.getSQLState() + "]" : "";
        return root.getClass().getSimpleName() + state + ": " + root.getMessage();
    }
}
