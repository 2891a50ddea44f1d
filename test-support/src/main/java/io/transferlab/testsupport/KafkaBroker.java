package io.transferlab.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node KRaft Kafka broker in its own JVM, from the jars gathered by {@code infra/kafka-broker}.
 * It keeps its ports and data across {@link #stop()} and {@link #start()}, so tests can take the broker away
 * and bring it back.
 */
public final class KafkaBroker implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final int port;
    private final int controllerPort;
    private final Path dir;
    private final int partitions;
    private Process process;
    private boolean formatted;

    private KafkaBroker(int port, int controllerPort, Path dir, int partitions) {
        this.port = port;
        this.controllerPort = controllerPort;
        this.dir = dir;
        this.partitions = partitions;
    }

    /** A broker on free ports with its data in a fresh temporary directory. */
    public static KafkaBroker onFreePorts(int partitions) {
        try {
            return new KafkaBroker(FreePorts.next(), FreePorts.next(), Files.createTempDirectory("kafka-it-"),
                    partitions);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String bootstrapServers() {
        return "localhost:" + port;
    }

    public int port() {
        return port;
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    public synchronized KafkaBroker start() {
        if (isRunning()) {
            return this;
        }
        if (FreePorts.isOpen("localhost", port)) {
            throw new IllegalStateException("port " + port + " is already taken: cannot start a Kafka broker there");
        }
        try {
            Path config = writeConfig();
            if (!formatted) {
                String clusterId = UUID.randomUUID().toString().replace("-", "").substring(0, 22);
                run(List.of("kafka.tools.StorageTool", "format", "-t", clusterId, "-c", config.toString()),
                        dir.resolve("format.log"), true);
                formatted = true;
            }
            process = run(List.of("kafka.Kafka", config.toString()), dir.resolve("stdout.log"), false);
            long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
            while (!FreePorts.isOpen("localhost", port)) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("Kafka broker exited with " + process.exitValue() + "; see "
                            + dir.resolve("server.log"));
                }
                if (System.nanoTime() > deadline) {
                    stop();
                    throw new IllegalStateException("Kafka broker did not open port " + port + " within "
                            + START_TIMEOUT.toSeconds() + " s; see " + dir.resolve("server.log"));
                }
                TimeUnit.MILLISECONDS.sleep(100);
            }
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops the broker process (SIGTERM, then SIGKILL after 20 s); data and ports are kept for a restart. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        process = null;
    }

    @Override
    public void close() {
        stop();
    }

    private Path writeConfig() throws IOException {
        String template = Files.readString(RepoPaths.brokerTemplate(), StandardCharsets.UTF_8);
        Map<String, String> values = Map.of(
                "@HOST@", "localhost",
                "@ADVERTISED_HOST@", "localhost",
                "@PORT@", String.valueOf(port),
                "@CONTROLLER_PORT@", String.valueOf(controllerPort),
                "@LOG_DIRS@", dir.resolve("data").toString(),
                "@NUM_PARTITIONS@", String.valueOf(partitions));
        for (Map.Entry<String, String> e : values.entrySet()) {
            template = template.replace(e.getKey(), e.getValue());
        }
        Path config = dir.resolve("server.properties");
        Files.writeString(config, template, StandardCharsets.UTF_8);
        return config;
    }

    private Process run(List<String> mainAndArgs, Path output, boolean waitForExit)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of("-Xms128m", "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Djava.awt.headless=true",
                "-Dkafka.logs.dir=" + dir,
                "-Dlog4j2.configurationFile=" + RepoPaths.brokerLogConfig(),
                "-cp", RepoPaths.brokerLibs() + File.separator + "*"));
        cmd.addAll(mainAndArgs);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile())).start();
        if (waitForExit) {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException("'" + String.join(" ", mainAndArgs) + "' failed; see " + output
                        + ":\n" + Files.readString(output));
            }
        }
        return p;
    }
}
