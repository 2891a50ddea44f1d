package io.transferlab.tuner.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class TransientDatabaseErrorsTest {

    @Test
    void connectionFailuresAndServerRestartsAreOutages() {
        assertThat(TransientDatabaseErrors.isTransient(new SQLException("Connection refused", "08001"))).isTrue();
        assertThat(TransientDatabaseErrors.isTransient(new SQLException("I/O error", "08006"))).isTrue();
        assertThat(TransientDatabaseErrors.isTransient(new SQLException("terminating connection", "57P01"))).isTrue();
        assertThat(TransientDatabaseErrors.isTransient(new SQLException("the database system is starting up", "57P03"))).isTrue();
        assertThat(TransientDatabaseErrors.isTransient(new SQLException("deadlock detected", "40P01"))).isTrue();
        assertThat(TransientDatabaseErrors.isTransient(new SQLException("Sorry, acquisition timeout!"))).isTrue();
        assertThat(TransientDatabaseErrors.isTransient(new ConnectException("Connection refused"))).isTrue();
    }

    @Test
    void anOutageDeepInsideWrappersIsStillFound() {
        RuntimeException wrapped = new RuntimeException("tx failed",
                new IllegalStateException("persist", new SQLException("Connection refused", "08001")));
        assertThat(TransientDatabaseErrors.isTransient(wrapped)).isTrue();
        assertThat(TransientDatabaseErrors.describe(wrapped)).isEqualTo("SQLException [08001]: Connection refused");
    }

    @Test
    void writesThatCanNeverSucceedAreNotOutages() {
        assertThat(TransientDatabaseErrors.isTransient(new SQLException("duplicate key", "23505"))).isFalse();
        assertThat(TransientDatabaseErrors.isTransient(new SQLException("value out of range", "22003"))).isFalse();
        assertThat(TransientDatabaseErrors.isTransient(new SQLException("permission denied", "42501"))).isFalse();
        assertThat(TransientDatabaseErrors.isTransient(new IllegalArgumentException("bad"))).isFalse();
    }
}
