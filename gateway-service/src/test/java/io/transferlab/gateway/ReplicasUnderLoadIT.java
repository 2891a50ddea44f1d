package io.transferlab.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.transferlab.contracts.Topics;
import io.transferlab.commons.security.KeyHashing;
import io.transferlab.gateway.standin.InferenceStandIn;
import io.transferlab.testsupport.FreePorts;
import io.transferlab.testsupport.KafkaBroker;
import io.transferlab.testsupport.QuarkusProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three gateway replicas as separate processes (the packaged jar, production configuration) on one broker, the
 * inference stand-in answering every request with a label derived from the image bytes, so a caller can tell its
 * own reply from anyone else's. First 200 classifications per replica at concurrency 16: every one answered with its
 * own label. Then one replica is restarted (SIGTERM, start again) while all three are under load: the callers of
 * the others lose nothing, the callers of the restarted one get their answer or a clear 503/504 (or a refused
 * connection while no process listens), never a wrong answer, never a hang.
 */
class ReplicasUnderLoadIT {

    private static final int REPLICAS = 3;
    private static final int PER_REPLICA = 200;
    private static final int CONCURRENCY = 16;
    private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(10);

    private static KafkaBroker broker;
    private static InferenceStandIn inference;
    private static final QuarkusProcess[] gateways = new QuarkusProcess[REPLICAS];
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).executor(Executors.newFixedThreadPool(4)).build();

    /**
     * OWN_ANSWER: 200 with the caller's own label; OWN_ANSWER_LATE: 504 (the machine was slow), then the caller's own
     * result found by polling the 504's {@code instance} on the same replica, so the reply was late, not lost.
     */
    enum Outcome { OWN_ANSWER, OWN_ANSWER_LATE, WRONG_ANSWER, UNAVAILABLE_503, TIMEOUT_504, REFUSED, OTHER }

    @BeforeAll
    static void start() throws Exception {
        broker = KafkaBroker.onFreePorts(4).start();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(Topics.CLASSIFY_REQUESTS, 4, (short) 1),
                    new NewTopic(Topics.CLASSIFY_RESULTS, 4, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        inference = new InferenceStandIn(broker.bootstrapServers()).awaitAssignment();
        for (int i = 0; i < REPLICAS; i++) {
            gateways[i] = startGateway(i, "gateway-" + i);
        }
        for (QuarkusProcess g : gateways) {
            g.awaitReady(Duration.ofSeconds(120));
        }
    }

    private static QuarkusProcess startGateway(int index, String name) {
        return QuarkusProcess.of("gateway-service").name(name)
                .jvmOptions("-Xmx192m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")
                .env("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers())
                .env("TRANSFERLAB_GATEWAY_SECURITY_API_KEYS", "load-tester:" + KeyHashing.sha256Hex(TestKeys.ALL)
                        + ":classify+train")
                .env("TRANSFERLAB_GATEWAY_CLASSIFY_TIMEOUT", SYNC_TIMEOUT.toSeconds() + "s")
                .env("TRANSFERLAB_DATA_DIR", "target/" + name + "-data")
                .env("QUARKUS_REST_CLIENT_TUNER_URL", "http://localhost:" + FreePorts.next())
                .log(Path.of("target/" + name + ".log"))
                .start();
    }

    @AfterAll
    static void stop() {
        for (QuarkusProcess g : gateways) {
            if (g != null) {
                g.close();
            }
        }
        if (inference != null) {
            inference.close();
        }
        if (broker != null) {
            broker.stop();
        }
    }

    @Test
    void everyReplicaGetsEveryOneOfItsRepliesAndARestartLosesNothingElsewhere() throws Exception {
        // 1. 600 classifications, 200 per replica at concurrency 16 each, all at once
        List<Load> loads = new ArrayList<>();
        for (int i = 0; i < REPLICAS; i++) {
            loads.add(new Load(gateways[i].url(), i, 0, PER_REPLICA, () -> false));
        }
        long started = System.nanoTime();
        loads.forEach(Load::start);
        for (Load l : loads) {
            l.await(Duration.ofSeconds(300)); // a hang guard, not a timing assertion
        }
        System.out.printf("3 replicas x %d classifications at concurrency %d: %.1f s, outcomes %s%n", PER_REPLICA,
                CONCURRENCY, (System.nanoTime() - started) / 1e9, loads.stream().map(Load::outcomes).toList());
        for (Load l : loads) {
            assertThat(l.outcomes().keySet()).as("replica %s: every caller got its own reply", l.baseUrl)
                    .isSubsetOf(Outcome.OWN_ANSWER, Outcome.OWN_ANSWER_LATE);
            assertThat(l.answered()).isEqualTo(PER_REPLICA);
        }

        // 2. all three under load again; replica 2 is stopped (SIGTERM) and started again in the middle of it
        AtomicBoolean restarted = new AtomicBoolean();
        Load first = new Load(gateways[0].url(), 0, 1000, PER_REPLICA, () -> !restarted.get());
        Load second = new Load(gateways[1].url(), 1, 1000, PER_REPLICA, () -> !restarted.get());
        Load victim = new Load(gateways[2].url(), 2, 1000, PER_REPLICA, () -> false);
        List.of(first, second, victim).forEach(Load::start);
        org.awaitility.Awaitility.await("the victim has answered some").atMost(Duration.ofSeconds(60))
                .until(() -> victim.done.get() >= 30);
        gateways[2].terminate(Duration.ofSeconds(60));
        gateways[2] = startGateway(2, "gateway-2-restarted");
        gateways[2].awaitReady(Duration.ofSeconds(120));
        restarted.set(true);
        for (Load l : List.of(first, second, victim)) {
            l.await(Duration.ofSeconds(240));
        }
        System.out.printf("restart of replica 2 under load: others %s %s, restarted one's callers %s%n",
                first.outcomes(), second.outcomes(), victim.outcomes());
        for (Load l : List.of(first, second)) {
            assertThat(l.outcomes().keySet()).as("a replica that stayed up answers every caller")
                    .isSubsetOf(Outcome.OWN_ANSWER, Outcome.OWN_ANSWER_LATE);
        }
        assertThat(victim.outcomes().keySet()).as("the restarted replica's callers: an answer or a clear failure")
                .doesNotContain(Outcome.WRONG_ANSWER, Outcome.OTHER);
        assertThat(victim.answered()).isGreaterThanOrEqualTo(30);

        // 3. the new process answers, and no restart left a consumer group behind for replies
        Load after = new Load(gateways[2].url(), 2, 2000, 50, () -> false);
        after.start();
        after.await(Duration.ofSeconds(60));
        assertThat(after.outcomes().keySet()).isSubsetOf(Outcome.OWN_ANSWER, Outcome.OWN_ANSWER_LATE);
        assertThat(after.answered()).isEqualTo(50);
        ReplyConsumerGroups.assertNone(broker.bootstrapServers());
    }

    private static final java.util.regex.Pattern INSTANCE =
            java.util.regex.Pattern.compile("\"instance\"\\s*:\\s*\"([^\"]+)\"");

    /**
     * {@code count} classifications (more while {@code keepGoing} holds) against one replica, 16 at once. */
    private static final class Load {

        private final String baseUrl;
        private final int replica;
        private final int firstImage;
        private final int count;
        private final BooleanSupplier keepGoing;
        private final AtomicInteger next = new AtomicInteger();
        private final AtomicInteger done = new AtomicInteger();
        private final Map<Outcome, LongAdder> outcomes = new ConcurrentHashMap<>();
        private final ExecutorService pool = Executors.newFixedThreadPool(CONCURRENCY);
        private final List<Future<?>> workers = new ArrayList<>();

        Load(String baseUrl, int replica, int firstImage, int count, BooleanSupplier keepGoing) {
            this.baseUrl = baseUrl;
            this.replica = replica;
            this.firstImage = firstImage;
            this.count = count;
            this.keepGoing = keepGoing;
        }

        void start() {
            for (int w = 0; w < CONCURRENCY; w++) {
                workers.add(pool.submit(() -> {
                    int i;
                    while ((i = next.getAndIncrement()) < count || keepGoing.getAsBoolean()) {
                        outcomes.computeIfAbsent(classify(i), o -> new LongAdder()).increment();
                        done.incrementAndGet();
                    }
                    return null;
                }));
            }
        }

        void await(Duration within) throws Exception {
            long deadline = System.nanoTime() + within.toNanos();
            try {
                for (Future<?> f : workers) {
                    f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
        }

        int answered() {
            Map<Outcome, Integer> o = outcomes();
            return o.getOrDefault(Outcome.OWN_ANSWER, 0) + o.getOrDefault(Outcome.OWN_ANSWER_LATE, 0);
        }

        Map<Outcome, Integer> outcomes() {
            Map<Outcome, Integer> m = new EnumMap<>(Outcome.class);
            outcomes.forEach((o, n) -> m.put(o, n.intValue()));
            return m;
        }

        /**
         * After a 504 the request still waits for its reply (reply-timeout-ms, 120 s): a reply that arrives is
         * stored and polled here; only a reply that never comes leaves TIMEOUT_504.
         */
        private Outcome lateAnswer(String problem, byte[] image) {
            java.util.regex.Matcher m = INSTANCE.matcher(problem);
            if (!m.find()) {
                return Outcome.OTHER;
            }
            HttpRequest poll = HttpRequest.newBuilder(URI.create(baseUrl + m.group(1))).timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + TestKeys.ALL).GET().build();
            java.util.concurrent.atomic.AtomicReference<HttpResponse<String>> last =
                    new java.util.concurrent.atomic.AtomicReference<>();
            try {
                org.awaitility.Awaitility.await("the late result").atMost(Duration.ofSeconds(130))
                        .pollInterval(Duration.ofMillis(500)).until(() -> {
                            last.set(HTTP.send(poll, HttpResponse.BodyHandlers.ofString()));
                            return last.get().statusCode() != 200 || !last.get().body().contains("\"PENDING\"");
                        });
            } catch (RuntimeException e) {
                return Outcome.TIMEOUT_504; // no result in time, or the replica went away while polling
            }
            HttpResponse<String> r = last.get();
            if (r.statusCode() == 200 && r.body().contains("\"COMPLETED\"")) {
                return r.body().contains("\"" + InferenceStandIn.labelFor(image) + "\"") ? Outcome.OWN_ANSWER_LATE
                        : Outcome.WRONG_ANSWER;
            }
            return Outcome.TIMEOUT_504;
        }

        /** A distinct image per call (its size), hence a distinct expected label. */
        private Outcome classify(int i) {
            int n = firstImage + i;
            byte[] image = TestImages.png(16 + n % 500, 16 + replica * 8 + n / 500);
            HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/classifications"))
                    .timeout(SYNC_TIMEOUT.plusSeconds(20))
                    .header("Authorization", "Bearer " + TestKeys.ALL).header("Content-Type", "image/png")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(image)).build();
            try {
                HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
                return switch (r.statusCode()) {
                    case 200 -> r.body().contains("\"" + InferenceStandIn.labelFor(image) + "\"")
                            ? Outcome.OWN_ANSWER : Outcome.WRONG_ANSWER;
                    case 503 -> Outcome.UNAVAILABLE_503;
                    case 504 -> lateAnswer(r.body(), image);
                    default -> Outcome.OTHER;
                };
            } catch (java.net.http.HttpTimeoutException e) {
                return Outcome.OTHER; // a caller left hanging past the gateway's own timeout
            } catch (IOException e) {
                return Outcome.REFUSED; // no process listens (between stop and start), or it closed the connection
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Outcome.OTHER;
            }
        }
    }
}
