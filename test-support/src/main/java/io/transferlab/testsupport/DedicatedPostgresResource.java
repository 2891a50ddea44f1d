package io.transferlab.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * A PostgreSQL of the test class's own, for tests that stop and restart it (outages). Use it with
 * {@code @WithTestResource(DedicatedPostgresResource.class)}; {@link #postgres()} hands the test the server.
 */
public class DedicatedPostgresResource implements QuarkusTestResourceLifecycleManager {

    private static volatile RestartablePostgres current;

    public static RestartablePostgres postgres() {
        if (current == null) {
            throw new IllegalStateException("DedicatedPostgresResource has not started a server for this test");
        }
        return current;
    }

    @Override
    public Map<String, String> start() {
        current = RestartablePostgres.onFreePort().start();
        return Map.of(
                "quarkus.datasource.jdbc.url", current.jdbcUrl(),
                "quarkus.datasource.username", current.user(),
                "quarkus.datasource.password", current.password());
    }

    @Override
    public void stop() {
        if (current != null) {
            current.close();
            current = null;
        }
    }
}
