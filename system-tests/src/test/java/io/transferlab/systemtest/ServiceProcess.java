package io.transferlab.systemtest;

import io.transferlab.testsupport.FreePorts;
import io.transferlab.testsupport.RepoPaths;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One TransferLab service as its own JVM, started from its built {@code quarkus-app}, on a free port. */
final class ServiceProcess implements AutoCloseable {

    private final String name;
    private final int port;
    private final Path log;
    private Process process;

    private ServiceProcess(String name, int port, Path log) {
        this.name = name;
        this.port = port;
        this.log = log;
    }

    static ServiceProcess start(String name, Map<String, String> env, List<String> jvmOptions, Path logDir) {
        Path jar = RepoPaths.root().resolve(name + "-service/target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: package the services first (./mvnw package)");
        }
        ServiceProcess service = new ServiceProcess(name, FreePorts.next(), logDir.resolve(name + ".log"));
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(service.log.toFile()).directory(logDir.toFile());
        pb.environment().putAll(env);
        pb.environment().put("QUARKUS_HTTP_PORT", String.valueOf(service.port));
        try {
            Files.createDirectories(logDir);
            service.process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return service;
    }

    String name() {
        return name;
    }

    String url() {
        return "http://localhost:" + port;
    }

    int port() {
        return port;
    }

    Path log() {
        return log;
    }

    /** Waits until {@code /q/health/ready} answers 200, failing early when the process dies. */
    void awaitReady(Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; log: " + tail());
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url() + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                TimeUnit.MILLISECONDS.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException(name + " not ready within " + timeout + "; log: " + tail());
    }

    String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
