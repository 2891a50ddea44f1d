package io.transferlab.testsupport;


import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node KRaft Kafka broker in its own JVM, from the jars gathered by {@code infra/kafka-broker}.
 * It keeps its ports and data across {@link #stop()} and {@link #start()}, so tests can take the broker away
 * and bring it back.
 * <p>
 * {@link #withScram} gives the secured variant of the deployment: clients must authenticate with SCRAM-SHA-512 as one
 * of the users created at format time, and each service's principal may do only what {@code infra/kafka-broker/
 * acls.txt} allows (StandardAuthorizer, deny by default). Its topics are created up front by the super user.
 */
public final class KafkaBroker implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final int port;
    private final int controllerPort;
    private final Path dir;
    private final int partitions;
    /** SCRAM users and their passwords, the super user {@value #ADMIN} first; empty for a plaintext broker. */
    private final Map<String, String> users;
    private final List<String> topics;
    private Process process;
    private boolean formatted;

    /** The super user of a SCRAM broker (creates topics and ACLs). */
    public static final String ADMIN = "admin";

    private KafkaBroker(int port, int controllerPort, Path dir, int partitions, Map<String, String> users,
            List<String> topics) {
        this.port = port;
        this.controllerPort = controllerPort;
        this.dir = dir;
        this.partitions = partitions;
        this.users = users;
        this.topics = topics;
    }

    /** A broker on free ports with its data in a fresh temporary directory. */
    public static KafkaBroker onFreePorts(int partitions) {
        try {
            return new KafkaBroker(FreePorts.next(), FreePorts.next(), Files.createTempDirectory("kafka-it-"),
                    partitions, Map.of(), List.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A SCRAM-SHA-512 broker on free ports: the super user and the given users (random passwords) exist from the
     * start, {@code topics} and their dead-letter topics are created and the ACLs of {@code acls.txt} applied
     * each time it starts.
     */
    public static KafkaBroker withScram(int partitions, List<String> topics, String... userNames) {
        Map<String, String> users = new LinkedHashMap<>();
        users.put(ADMIN, randomPassword());
        for (String user : userNames) {
            users.put(user, randomPassword());
        }
        List<String> all = new ArrayList<>(topics);
        topics.forEach(t -> all.add(t + ".dlq"));
        if (topics.contains("vision.train.requests")) {
            // the tuner dead-letters what it cannot record into a topic of its own (Topics.TRAIN_REQUESTS_TUNER_DLQ;
            // contracts is not a dependency here), created up front because no user may create topics
            all.add("vision.train.requests.tuner.dlq");
        }
        // compacted like the local stack's (infra/kafka-broker/CreateTopics.java reads the suffix)
        all.replaceAll(t -> t.equals("vision.models.aliases") ? t + ":compact" : t);
        try {
            return new KafkaBroker(FreePorts.next(), FreePorts.next(), Files.createTempDirectory("kafka-it-"),
                    partitions, Map.copyOf(users), List.copyOf(all));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public boolean isScram() {
        return !users.isEmpty();
    }

    /** The JAAS line a client of this broker authenticates with (what Strimzi puts in a KafkaUser's Secret). */
    public String jaasConfig(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";";
    }

    public String password(String user) {
        String password = users.get(user);
        if (password == null) {
            throw new IllegalArgumentException("no SCRAM user '" + user + "' on this broker");
        }
        return password;
    }

    /** Client settings (bootstrap, SASL) for {@code user}; for a plaintext broker only the bootstrap servers. */
    public Map<String, String> clientConfig(String user) {
        if (!isScram()) {
            return Map.of("bootstrap.servers", bootstrapServers());
        }
        return clientConfig(user, password(user));
    }

    /** Client settings with any credentials, including wrong ones. */
    public Map<String, String> clientConfig(String user, String password) {
        return Map.of("bootstrap.servers", bootstrapServers(),
                "security.protocol", "SASL_PLAINTEXT",
                "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", jaasConfig(user, password));
    }

    /** The environment a service process needs to reach this broker as {@code user} (see its application.properties). */
    public Map<String, String> serviceEnv(String user) {
        if (!isScram()) {
            return Map.of("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers());
        }
        return Map.of("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers(),
                "KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
                "KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
                "KAFKA_SASL_JAAS_CONFIG", jaasConfig(user, password(user)));
    }

    private static String randomPassword() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
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
                List<String> format = new ArrayList<>(List.of("kafka.tools.StorageTool", "format", "-t", clusterId,
                        "-c", config.toString()));
                users.forEach((user, password) -> format.addAll(List.of("--add-scram",
                        "SCRAM-SHA-512=[name=" + user + ",password=" + password + "]")));
                run(format, dir.resolve("format.log"), true);
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
            if (isScram()) {
                grantAccess();
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

    /** Creates the topics and applies acls.txt as the super user, with the same tools as the local stack. */
    private void grantAccess() throws IOException, InterruptedException {
        Path adminConfig = dir.resolve("admin.properties");
        StringBuilder props = new StringBuilder();
        clientConfig(ADMIN).forEach((k, v) -> props.append(k).append('=').append(v.replace("\\", "\\\\"))
                .append('\n'));
        Files.writeString(adminConfig, props.toString(), StandardCharsets.UTF_8);
        Path tools = RepoPaths.brokerTemplate().getParent();
        List<String> createTopics = new ArrayList<>(List.of("-Dkafka.client.config=" + adminConfig,
                tools.resolve("CreateTopics.java").toString(), bootstrapServers(), String.valueOf(partitions)));
        createTopics.addAll(topics);
        run(createTopics, dir.resolve("topics.log"), true);
        run(List.of("-Dkafka.client.config=" + adminConfig, tools.resolve("CreateAcls.java").toString(),
                bootstrapServers(), tools.resolve("acls.txt").toString()), dir.resolve("acls.log"), true);
    }

    private Path writeConfig() throws IOException {
        String template = Files.readString(RepoPaths.brokerTemplate(), StandardCharsets.UTF_8);
        String protocol = "PLAINTEXT";
        if (isScram()) {
            protocol = "SASL_PLAINTEXT";
            template += Files.readString(RepoPaths.brokerTemplate().resolveSibling("scram.properties.template"),
                    StandardCharsets.UTF_8).replace("@ADMIN_PASSWORD@", password(ADMIN));
        }
        Map<String, String> values = Map.of(
                "@HOST@", "localhost",
                "@ADVERTISED_HOST@", "localhost",
                "@PORT@", String.valueOf(port),
                "@CONTROLLER_PORT@", String.valueOf(controllerPort),
                "@LOG_DIRS@", dir.resolve("data").toString(),
                "@NUM_PARTITIONS@", String.valueOf(partitions),
                "@BROKER_PROTOCOL@", protocol,
                "@CONTROLLER_PROTOCOL@", protocol);
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
