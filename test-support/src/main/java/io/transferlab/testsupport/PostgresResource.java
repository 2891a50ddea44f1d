package io.transferlab.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Gives a {@code @QuarkusTest} a real PostgreSQL: the one named by {@code TRANSFERLAB_TEST_JDBC_URL} (with
 * {@code TRANSFERLAB_TEST_JDBC_USER} / {@code TRANSFERLAB_TEST_JDBC_PASSWORD}), else an embedded server on a free
 * port, started once per test JVM.
 */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {

    private static EmbeddedPostgres shared;

    public record Connection(String jdbcUrl, String user, String password) {
    }

    public static synchronized Connection connection() {
        String url = System.getenv("TRANSFERLAB_TEST_JDBC_URL");
        if (url != null && !url.isBlank()) {
            return new Connection(url, env("TRANSFERLAB_TEST_JDBC_USER", "postgres"),
                    env("TRANSFERLAB_TEST_JDBC_PASSWORD", "postgres"));
        }
        if (shared == null) {
            try {
                shared = EmbeddedPostgres.builder().setPort(FreePorts.next()).start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
            }
            EmbeddedPostgres pg = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    pg.close();
                } catch (IOException ignored) {
                    // the JVM is exiting; the data directory is temporary
                }
            }, "postgres-test-stop"));
        }
        return new Connection(shared.getJdbcUrl("postgres", "postgres"), "postgres", "postgres");
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    @Override
    public Map<String, String> start() {
        Connection c = connection();
        return Map.of(
                "quarkus.datasource.jdbc.url", c.jdbcUrl(),
                "quarkus.datasource.username", c.user(),
                "quarkus.datasource.password", c.password());
    }

    @Override
    public void stop() {
        // Shared for the whole JVM.
    }
}
