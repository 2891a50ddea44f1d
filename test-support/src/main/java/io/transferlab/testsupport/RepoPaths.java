package io.transferlab.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the repository checkout, whose build outputs (the broker's jars) the tests use. */
public final class RepoPaths {

    private static final String MARKER = "infra/kafka-broker/server.properties.template";

    private RepoPaths() {
    }

    public static Path root() {
        String configured = System.getProperty("transferlab.repo.root");
        if (configured != null && Files.exists(Path.of(configured, MARKER))) {
            return Path.of(configured).toAbsolutePath();
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve(MARKER))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find the repository root (a folder with " + MARKER
                + "); set -Dtransferlab.repo.root");
    }

    public static Path brokerTemplate() {
        return root().resolve(MARKER);
    }

    public static Path brokerLogConfig() {
        return root().resolve("infra/kafka-broker/log4j2.properties");
    }

    /** The broker's jars, gathered by {@code ./mvnw -pl infra/kafka-broker package}, or {@code KAFKA_BROKER_LIBS}. */
    public static Path brokerLibs() {
        String env = System.getenv("KAFKA_BROKER_LIBS");
        Path libs = env != null && !env.isBlank() ? Path.of(env) : root().resolve("infra/kafka-broker/target/libs");
        try (var files = Files.list(libs)) {
            if (files.anyMatch(f -> f.getFileName().toString().startsWith("kafka_2.13"))) {
                return libs;
            }
        } catch (java.io.IOException e) {
            // fall through to the explanation below
        }
        throw new IllegalStateException("no Kafka broker jars in " + libs
                + ": run ./mvnw -pl infra/kafka-broker package (or set KAFKA_BROKER_LIBS)");
    }
}
