package io.transferlab.systemtest;

import io.transferlab.testsupport.KafkaBroker;
import io.transferlab.testsupport.PostgresResource;
import io.transferlab.testsupport.QuarkusProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The whole system as separate processes: a KRaft Kafka broker, PostgreSQL, and the four services from their
 * built jars, each on a free port, configured only through environment variables (as in production). As in
 * production the broker authenticates every client (SCRAM-SHA-512) and each service may use only its own topics
 * and consumer groups (infra/kafka-broker/acls.txt); each service gets its own credentials.
 */
final class Stack implements AutoCloseable {

    static final String API_KEY = "system-test-key";
    /** The gateway's key for the tuner's API, and an operator's key for the inference service's OIP API. */
    static final String TUNER_KEY = "system-test-tuner-key";
    static final String INFERENCE_KEY = "system-test-inference-key";
    /** Gateway keys with one role each, for the calls a key without the other role must not make (403). */
    static final String CLASSIFY_ONLY_KEY = "system-test-classify-only-key";
    static final String TRAIN_ONLY_KEY = "system-test-train-only-key";
    /** A Kafka user outside the system (someone else's consumer), without rights until a test grants them. */
    static final String OUTSIDER = "someone-else";

    final KafkaBroker kafka;
    final PostgresResource.Connection postgres;
    final Path work;
    final Path dataDir;
    private final List<QuarkusProcess> services = new ArrayList<>();
    QuarkusProcess tuner;
    QuarkusProcess trainer;
    QuarkusProcess inference;
    QuarkusProcess gateway;

    private Stack(Path work, Path dataDir) throws java.io.IOException {
        this.work = work;
        this.dataDir = dataOf(work, dataDir);
        this.kafka = KafkaBroker.withScram(4, io.transferlab.contracts.Topics.all(),
                "gateway", "trainer", "inference", "tuner", OUTSIDER).start();
        this.postgres = PostgresResource.connection();
    }

    /**
     * A data folder of the stack's own under {@code work}: links to the real data sets, and room for the gateway's
     * uploads, which must not land in the shared data folder (or in another checkout's).
     */
    private static Path dataOf(Path work, Path real) throws java.io.IOException {
        Path data = Files.createDirectories(work.resolve("data"));
        try (Stream<Path> sets = Files.list(real)) {
            for (Path set : sets.filter(p -> !p.getFileName().toString().equals("uploads")).toList()) {
                Path link = data.resolve(set.getFileName().toString());
                if (!Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createSymbolicLink(link, set.toAbsolutePath());
                }
            }
        }
        return data;
    }

    static Stack start(Path work, Path dataDir) throws Exception {
        Stack stack = new Stack(work, dataDir);
        try {
            stack.startServices();
        } catch (RuntimeException | Error e) {
            stack.close();
            throw e;
        }
        return stack;
    }

    private void startServices() throws Exception {
        Path logs = work.resolve("logs");
        Map<String, String> common = Map.of(
                "TRANSFERLAB_DATA_DIR", dataDir.toString(),
                "TRANSFERLAB_MODEL_STORE", work.resolve("models").toString(),
                "TRANSFERLAB_FEATURE_CACHE", work.resolve("feature-cache").toString(),
                "TRANSFERLAB_WEIGHTS_DIR", work.resolve("weights").toString(),
                "DJL_OFFLINE", "true");
        List<String> small = List.of("-Xmx384m", "-XX:TieredStopAtLevel=1");
        List<String> engine = List.of("-Xmx1g", "-Dai.djl.pytorch.num_threads=2", "-Dai.djl.pytorch.num_interop_threads=1");

        // Each internal API takes keys of its own: the gateway calls the tuner with one, operators call inference.
        tuner = launch("tuner", with(common, Map.of(
                "QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl(),
                "QUARKUS_DATASOURCE_USERNAME", postgres.user(),
                "QUARKUS_DATASOURCE_PASSWORD", postgres.password(),
                "TRANSFERLAB_TUNER_SECURITY_API_KEYS", "gateway:" + sha256(TUNER_KEY) + ":read")), small, logs);
        trainer = launch("trainer", common, engine, logs);
        inference = launch("inference", with(common, Map.of(
                "TRANSFERLAB_INFERENCE_SECURITY_API_KEYS", "ops:" + sha256(INFERENCE_KEY) + ":classify")), engine, logs);
        gateway = launch("gateway", with(common, Map.of(
                "QUARKUS_REST_CLIENT_TUNER_URL", "http://localhost:" + tuner.port(),
                "TRANSFERLAB_GATEWAY_TUNER_API_KEY", TUNER_KEY,
                "TRANSFERLAB_GATEWAY_SECURITY_API_KEYS", String.join(",",
                        "system-test:" + sha256(API_KEY) + ":classify+train",
                        "classify-only:" + sha256(CLASSIFY_ONLY_KEY) + ":classify",
                        "train-only:" + sha256(TRAIN_ONLY_KEY) + ":train"))),
                small, logs);
        for (QuarkusProcess s : services) {
            s.awaitReady(Duration.ofMinutes(4));
        }
    }

    private QuarkusProcess launch(String name, Map<String, String> env, List<String> jvm, Path logs) {
        QuarkusProcess s = QuarkusProcess.of(name + "-service").name(name).env(with(env, kafka.serviceEnv(name)))
                .jvmOptions(jvm)
                .log(logs.resolve(name + ".log")).workingDir(logs).start();
        services.add(s);
        return s;
    }

    static String sha256(String key) throws java.security.NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    }

    private static Map<String, String> with(Map<String, String> base, Map<String, String> extra) {
        Map<String, String> all = new java.util.HashMap<>(base);
        all.putAll(extra);
        return all;
    }

    /** The four services, in start order. */
    List<QuarkusProcess> services() {
        return List.copyOf(services);
    }

    /** The last lines of every service's log, for failure messages. */
    String logs() {
        StringBuilder sb = new StringBuilder();
        for (QuarkusProcess s : services) {
            sb.append("\n==== ").append(s.name()).append(" (").append(s.log()).append(")\n").append(s.tail(40));
        }
        return sb.toString();
    }

    @Override
    public void close() {
        for (int i = services.size() - 1; i >= 0; i--) {
            services.get(i).close();
        }
        kafka.stop();
    }
}
