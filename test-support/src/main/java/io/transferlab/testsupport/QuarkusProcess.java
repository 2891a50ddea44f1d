package io.transferlab.testsupport;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A packaged Quarkus service ({@code <module>/target/quarkus-app/quarkus-run.jar}) as a JVM of its own on a free
 * HTTP port, its output in a log file: for tests that need the real process (to kill it, restart it, run a second
 * replica or the whole system) and for benchmarks. Start one with {@link #of(String)} or {@link #jar(Path)}.
 * Health and metrics are on the service's management interface, a second free port ({@link #managementUrl()}).
 */
public final class QuarkusProcess implements AutoCloseable {

    /** How long {@link #terminate()} gives the shutdown path. */
    public static final Duration TERMINATE_WAIT = Duration.ofSeconds(60);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(30);
    private static final Duration KILL_WAIT = Duration.ofSeconds(30);
    private static final int TAIL_LINES = 40;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final int port;
    private final int managementPort;
    private final Path log;
    private final Process process;

    private QuarkusProcess(String name, int port, int managementPort, Path log, Process process) {
        this.name = name;
        this.port = port;
        this.managementPort = managementPort;
        this.log = log;
        this.process = process;
    }

    /** The service packaged in {@code module} (a folder of the repository, e.g. {@code tuner-service}). */
    public static Builder of(String module) {
        return new Builder(RepoPaths.root().resolve(module).resolve("target/quarkus-app/quarkus-run.jar"), module);
    }

    /** The service packaged as {@code jar} (a {@code quarkus-app/quarkus-run.jar}). */
    public static Builder jar(Path jar) {
        return new Builder(jar, "service");
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public String url() {
        return "http://localhost:" + port;
    }

    /** The port of Quarkus' management interface: health and metrics, never the API. */
    public int managementPort() {
        return managementPort;
    }

    /** Where health ({@code /q/health/...}) and metrics ({@code /q/metrics}) answer. */
    public String managementUrl() {
        return "http://localhost:" + managementPort;
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return log;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The HTTP status of {@code /q/health/ready} on the management interface; -1 when nothing answers. */
    public int readiness() {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(managementUrl() + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /**
     * Waits until {@code /q/health/ready} on the management interface answers 200 and the log says the process
     * listens on its own two ports (not another one that took them first). Fails at once, with the end of
     * the log, when the process exits first; and, after stopping it (SIGKILL), with the end of the log when the
     * time is up.
     */
    public QuarkusProcess awaitReady(Duration timeout) {
        try {
            await(name + " ready").atMost(timeout).pollInterval(Duration.ofMillis(500)).until(() -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException(name + " exited with " + process.exitValue()
                            + " before it was ready; " + logEnd());
                }
                // 200 alone could come from another process on that port; Quarkus logs the ports it really bound.
                return readiness() == 200 && listensOnItsOwnPorts();
            });
        } catch (ConditionTimeoutException e) {
            // Stopped here: a caller that starts and awaits in one try-with-resources header never gets the
            // process to close, and a failed test would leave it running.
            process.destroyForcibly();
            throw new IllegalStateException(name + " not ready within " + timeout + " (stopped); " + logEnd(), e);
        }
        return this;
    }

    private boolean listensOnItsOwnPorts() {
        String text = logText();
        return text.contains(":" + port + ".") && text.contains(":" + managementPort + ".")
                && text.contains("Listening on");
    }

    /** Everything the process has written so far. */
    public String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the log of " + name, e);
        }
    }

    /** The last {@code lines} lines of the log, for failure messages. */
    public String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** SIGTERM: the JVM runs its shutdown path. Waits up to {@link #TERMINATE_WAIT}; returns the exit code. */
    public int terminate() {
        return terminate(TERMINATE_WAIT);
    }

    /** SIGTERM and wait up to {@code within}; fails when the process is still running then. */
    public int terminate(Duration within) {
        process.destroy();
        return awaitExit(within);
    }

    /** SIGKILL: no shutdown path at all, like a crashed node or an OOM kill. Returns the exit code. */
    public int kill() {
        process.destroyForcibly();
        return awaitExit(KILL_WAIT);
    }

    /** Waits for the process to end by itself; fails, with the end of the log, when it is still running after. */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(name + " still running after " + timeout + "; " + logEnd());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + name + " to exit", e);
        }
        return process.exitValue();
    }

    /** SIGTERM and wait (consumers leave their groups cleanly); SIGKILL when it has not ended after 30 s. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(CLOSE_WAIT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ", " + url() + ", management " + managementUrl() + ", log " + log
                + ")";
    }

    private String logEnd() {
        return "log " + log + ":\n" + tail(TAIL_LINES);
    }

    /** What to start: settings, environment, JVM options, log file. */
    public static final class Builder {

        private final Path jar;
        private String name;
        private final Map<String, String> env = new LinkedHashMap<>();
        private final Set<String> unset = new LinkedHashSet<>();
        private final Map<String, String> properties = new LinkedHashMap<>();
        private final List<String> jvmOptions = new ArrayList<>();
        private Path log;
        private Path workingDir;

        private Builder(Path jar, String name) {
            this.jar = jar.toAbsolutePath().normalize();
            this.name = name;
        }

        /** Names the process in messages and, unless {@link #log(Path)} says otherwise, its log file. */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** An environment variable (the process inherits this JVM's environment besides). */
        public Builder env(String key, String value) {
            env.put(key, value);
            unset.remove(key);
            return this;
        }

        public Builder env(Map<String, String> variables) {
            variables.forEach(this::env);
            return this;
        }

        /** Removes inherited environment variables, for a process that must start without them. */
        public Builder unsetEnv(String... keys) {
            for (String key : keys) {
                env.remove(key);
                unset.add(key);
            }
            return this;
        }

        /** A system property, {@code -Dkey=value}. */
        public Builder property(String key, String value) {
            properties.put(key, value);
            return this;
        }

        public Builder properties(Map<String, String> values) {
            properties.putAll(values);
            return this;
        }

        /** JVM options before the system properties, e.g. {@code -Xmx256m}. */
        public Builder jvmOptions(String... options) {
            return jvmOptions(List.of(options));
        }

        public Builder jvmOptions(List<String> options) {
            jvmOptions.addAll(options);
            return this;
        }

        /** Where stdout and stderr go (replaced at each start); by default {@code target/quarkus-processes/<name>.log}. */
        public Builder log(Path file) {
            this.log = file;
            return this;
        }

        /** The process's working directory; by default this JVM's. */
        public Builder workingDir(Path dir) {
            this.workingDir = dir;
            return this;
        }

        /**
         * Starts the JVM on two free ports ({@code -Dquarkus.http.port}, {@code -Dquarkus.management.port}); does
         * not wait for it (see awaitReady).
         */
        public QuarkusProcess start() {
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(jar + " is missing: package the service first (./mvnw package; "
                        + "failsafe runs the ITs after the package phase)");
            }
            int port = FreePorts.next();
            int managementPort = FreePorts.next();
            while (managementPort == port) {
                managementPort = FreePorts.next();
            }
            Path logFile = (log != null ? log : Path.of("target", "quarkus-processes", name + ".log"))
                    .toAbsolutePath();
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(jvmOptions);
            properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
            // last, so that url() and managementUrl() are where the service really listens (several replicas of a
            // service on one host would otherwise all take its default management port)
            command.add("-Dquarkus.http.port=" + port);
            command.add("-Dquarkus.management.port=" + managementPort);
            command.add("-jar");
            command.add(jar.toString());
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(logFile.toFile()));
            if (workingDir != null) {
                pb.directory(workingDir.toFile());
            }
            pb.environment().keySet().removeAll(unset);
            pb.environment().putAll(env);
            try {
                Files.createDirectories(logFile.getParent());
                return new QuarkusProcess(name, port, managementPort, logFile, pb.start());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start " + name + " from " + jar, e);
            }
        }
    }
}
