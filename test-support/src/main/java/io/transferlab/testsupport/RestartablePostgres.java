package io.transferlab.testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * An embedded PostgreSQL that a test can stop and start again on the same port with the same data, to take the
 * database away from a running service and bring it back (an outage, not a fresh database).
 */
public final class RestartablePostgres implements AutoCloseable {

    private final int port;
    private final Path dataDir;
    private EmbeddedPostgres server;

    private RestartablePostgres(int port, Path dataDir) {
        this.port = port;
        this.dataDir = dataDir;
    }

    /** A server on a free port with its data in a fresh temporary directory (not started yet). */
    public static RestartablePostgres onFreePort() {
        try {
            return new RestartablePostgres(FreePorts.next(), Files.createTempDirectory("pg-it-"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port + "/postgres";
    }

    public String user() {
        return "postgres";
    }

    public String password() {
        return "postgres";
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    /** Starts the server; the first start initialises the data directory, later ones reuse it. */
    public synchronized RestartablePostgres start() {
        if (server == null) {
            try {
                server = EmbeddedPostgres.builder()
                        .setPort(port)
                        .setDataDirectory(dataDir)
                        .setCleanDataDirectory(false)
                        .start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start PostgreSQL on port " + port, e);
            }
        }
        return this;
    }

    /** Stops the server (pg_ctl stop: clients are disconnected); data and port are kept for {@link #start()}. */
    public synchronized void stop() {
        if (server != null) {
            try {
                server.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot stop PostgreSQL on port " + port, e);
            } finally {
                server = null;
            }
        }
    }

    @Override
    public synchronized void close() {
        stop();
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory; leaving it behind is harmless
        }
    }
}
