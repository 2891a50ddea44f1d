package io.transferlab.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.transferlab.systemtest.Case.Service;
import io.transferlab.systemtest.RawHttp.Request;
import io.transferlab.systemtest.RawHttp.Response;
import io.transferlab.testsupport.QuarkusProcess;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile and broken input against the running services, each a process of its own (the shared {@link Stack}):
 * every case must get a documented 4xx (503 only where documented, with Retry-After) as problem+json with a
 * {@code detail}, never a 5xx, a foreign body or a hang; afterwards every service is still up, a normal
 * classification still works and no service ran out of memory. The cases live in tables by service
 * ({@link GatewayCases}, {@link InferenceCases}, {@link TunerCases}); a failure names its case.
 */
@ExtendWith(SharedStack.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BadInputIT {

    private static final Map<String, AtomicInteger> CASES_BY_GROUP = new ConcurrentHashMap<>();
    private static Stack stack;
    private static String baselineRun;
    private static long started;

    @BeforeAll
    static void startTheBaselineTraining() {
        stack = SharedStack.stack();
        started = System.nanoTime();
        // A small real run, trained while the gateway cases run: its model is what inference cases that get past
        // parsing meet, and what the normal classification at the end uses.
        Response r = RawHttp.send(stack.gateway.port(), GatewayCases.json("POST", "/trainings", "{\"spec\": "
                + "{\"dataset\": \"mnist\", \"trainSize\": 300, \"testSize\": 100, \"epochs\": 1, \"batchSize\": 32}, "
                + "\"modelId\": \"" + InferenceCases.MODEL + "\"}").bearer(Stack.API_KEY));
        assertThat(r.status()).as("the baseline training is queued: %s", r).isEqualTo(202);
        baselineRun = r.json().path("runId").asText();
    }

    static Stream<Case> gatewayCases() {
        return GatewayCases.all().stream();
    }

    static Stream<Case> inferenceCases() {
        return InferenceCases.all().stream();
    }

    static Stream<Case> tunerCases() {
        return TunerCases.all().stream();
    }

    @Order(1)
    @ParameterizedTest(name = "{0}")
    @MethodSource("gatewayCases")
    void gateway(Case c) {
        check(c);
    }

    @Order(2)
    @Test
    void theBaselineModelIsTrainedAndServed() {
        await("baseline run " + baselineRun + " finishes").atMost(Duration.ofMinutes(6))
                .pollInterval(Duration.ofSeconds(2)).until(() -> {
                    Response r = RawHttp.send(stack.gateway.port(), RawHttp.request("GET", GatewayCases.API
                            + "/trainings/" + baselineRun).bearer(Stack.API_KEY));
                    String status = r.status() == 200 ? r.json().path("status").asText() : "";
                    assertThat(status).as("baseline run; logs:%s", stack.logs()).isNotIn("FAILED", "CANCELLED");
                    return status.equals("SUCCEEDED");
                });
        Response ready = RawHttp.send(stack.inference.port(), RawHttp.request("GET", "/v2/models/"
                + InferenceCases.MODEL + "/ready").bearer(Stack.INFERENCE_KEY));
        assertThat(ready.status()).as("the baseline model loads: %s", ready).isEqualTo(200);
    }

    @Order(3)
    @ParameterizedTest(name = "{0}")
    @MethodSource("inferenceCases")
    void inference(Case c) {
        check(c);
    }

    @Order(4)
    @ParameterizedTest(name = "{0}")
    @MethodSource("tunerCases")
    void tuner(Case c) {
        check(c);
    }

    /** Eight callers at once, each with eight 8192x8192 PNGs: refused from their headers, nothing decoded. */
    @Order(5)
    @Test
    void aBurstOfHugeImagesAtTheInferenceService() throws Exception {
        byte[] body = GatewayCases.utf8(InferenceCases.images(8, Fixtures.png(8192, 8192)));
        List<Response> answers = burst(8, () -> InferenceCases.infer(InferenceCases.INFER, body)
                .bearer(Stack.INFERENCE_KEY), stack.inference.port());
        for (Response r : answers) {
            assertSane("inference burst of 8 x eight 8192x8192 PNGs", Set.of(400, 503), r);
        }
        count("burst");
    }

    /** The same burst through the gateway, one image a request (the gateway takes one): 64 at once. */
    @Order(6)
    @Test
    void theSameBurstThroughTheGateway() throws Exception {
        byte[] png = Fixtures.png(8192, 8192);
        List<Response> answers = burst(64, () -> GatewayCases.image(png).bearer(Stack.API_KEY), stack.gateway.port());
        for (Response r : answers) {
            assertSane("gateway burst of 64 8192x8192 PNGs", Set.of(422, 503), r);
        }
        count("burst");
    }

    /**
     * Images within every bound whose decoding the byte budget must hold back: eight callers at once, each with one
     * 6000x6000 PNG (about 250 MB at its peak to decode): answered, or refused with 503 while the budget is full.
     */
    @Order(7)
    @Test
    void aBurstOfLargeButValidImagesStaysWithinTheDecodeBudget() throws Exception {
        byte[] body = GatewayCases.utf8(InferenceCases.images(1, Fixtures.png(6000, 6000)));
        List<Response> answers = burst(8, () -> InferenceCases.infer(InferenceCases.INFER, body)
                .bearer(Stack.INFERENCE_KEY), stack.inference.port());
        for (Response r : answers) {
            assertSane("inference burst of 8 x one 6000x6000 PNG", Set.of(200, 503), r);
        }
        count("burst");
    }

    @Order(8)
    @Test
    void afterwardsEveryServiceIsUpAndAClassificationWorks() {
        for (QuarkusProcess s : stack.services()) {
            assertThat(s.isAlive()).as(s.name() + " is running; log:\n" + s.tail(60)).isTrue();
            Response health = RawHttp.send(s.managementPort(), RawHttp.request("GET", "/q/health"));
            assertThat(health.status()).as(s.name() + " health: " + health).isEqualTo(200);
            assertThat(health.json().path("status").asText()).as(s.name() + " health: " + health).isEqualTo("UP");
            // health lives on the management port only, not next to the API the hostile input came through
            assertThat(RawHttp.send(s.port(), RawHttp.request("GET", "/q/health")).status())
                    .as(s.name() + " /q/health on the API port").isEqualTo(404);
        }
        Response answer = RawHttp.send(stack.gateway.port(), RawHttp.request("POST", GatewayCases.API
                + "/classifications?topK=3&model=" + InferenceCases.MODEL).header("Content-Type", "image/png")
                .body(Fixtures.digit()).bearer(Stack.API_KEY));
        assertThat(answer.status()).as("a normal classification after the suite: %s%s", answer, stack.logs())
                .isEqualTo(200);
        assertThat(answer.json().path("predictions").size()).isEqualTo(3);
        for (QuarkusProcess s : stack.services()) {
            String log = s.logText();
            assertThat(log).as(s.name() + " log").doesNotContain("OutOfMemoryError");
            // a 5xx no client saw (its connection was gone) still shows in the log: the catch-all mappers' and
            // Quarkus' own "request failed" lines
            assertThat(log).as(s.name() + " log: no request failed unexpectedly")
                    .doesNotContain("unexpected error while handling a request", "inference request failed",
                            "HTTP Request to");
        }
    }

    @AfterAll
    static void report() {
        Map<String, Integer> counts = new TreeMap<>();
        CASES_BY_GROUP.forEach((group, n) -> counts.put(group, n.get()));
        int total = counts.values().stream().mapToInt(Integer::intValue).sum();
        System.out.printf("BadInputIT: %d cases in %d s: %s%n", total,
                Duration.ofNanos(System.nanoTime() - started).toSeconds(), counts);
    }

    // ---------------------------------------------------------------------------------------------------------

    private static int port(Service service) {
        return switch (service) {
            case GATEWAY -> stack.gateway.port();
            case INFERENCE -> stack.inference.port();
            case TUNER -> stack.tuner.port();
        };
    }

    private static void check(Case c) {
        Request request = c.request().get();
        Response r;
        try {
            r = RawHttp.send(port(c.service()), request);
        } catch (UncheckedIOException e) {
            throw new AssertionError(c + ": " + e.getMessage() + "\nservice logs:" + stack.logs(), e);
        }
        count(c.group());
        undoIfAccepted(c, r);
        if (c.invalidHttp()) {
            assertRefusedAsInvalidHttp(c.name(), r);
        } else {
            assertSane(c.name(), c.allowed(), r);
        }
    }

    private static void count(String group) {
        CASES_BY_GROUP.computeIfAbsent(group, g -> new AtomicInteger()).incrementAndGet();
    }

    /**
     * The suite's promises for every answer: a documented status, never a 5xx but a documented 503 with
     * Retry-After, and every error as problem+json that says what is wrong.
     */
    static void assertSane(String name, Set<Integer> allowed, Response r) {
        String shown = name + " -> " + r;
        assertThat(r.status()).as("an answer: %s", shown).isNotEqualTo(RawHttp.NO_ANSWER);
        assertThat(r.closed()).as("the connection closed after the answer (not held for a body the service "
                + "refused): %s", shown).isTrue();
        assertThat(r.status() < 500 || r.status() == 503 && allowed.contains(503))
                .as("no server error: %s", shown).isTrue();
        if (r.status() == 503) {
            assertThat(r.header("Retry-After")).as("a 503 says when to retry: %s", shown).isNotBlank();
        }
        assertThat(allowed).as("documented status: %s", shown).contains(r.status());
        if (r.status() >= 400) {
            assertThat(r.header("Content-Type")).as("an error is problem+json: %s", shown)
                    .startsWith("application/problem+json");
            JsonNode problem = r.json();
            assertThat(problem).as("a problem body is JSON: %s", shown).isNotNull();
            assertThat(problem.path("detail").asText("")).as("a problem says what is wrong: %s", shown)
                    .isNotBlank();
            assertThat(problem.path("status").asInt(r.status())).as("the problem's status: %s", shown)
                    .isEqualTo(r.status());
            // an error costs its caller more than it costs the service: no answer many times its request
            assertThat(r.body().length).as("a problem of at most 64 KB: %s", shown).isLessThan(64 * 1024);
        }
    }

    /**
     * A request that is not valid HTTP/1.1 never reaches service code: the HTTP layer (Vert.x's request decoder and
     * Quarkus' check that the target is a URI, neither of which Quarkus offers a hook for) answers 400 with an empty
     * body, or closes the connection where it cannot tell where the message ends. Either way at once: no 5xx, no
     * hang.
     */
    static void assertRefusedAsInvalidHttp(String name, Response r) {
        String shown = name + " -> " + r;
        assertThat(r.status()).as("refused as invalid HTTP: %s", shown).isIn(400, RawHttp.NO_ANSWER);
        assertThat(r.closed()).as("the connection closed: %s", shown).isTrue();
    }

    /** A case the gateway wrongly accepted must not leave a run, study or data set behind for the other tests. */
    private static void undoIfAccepted(Case c, Response r) {
        if (c.service() != Service.GATEWAY || (r.status() != 201 && r.status() != 202) || r.json() == null) {
            return;
        }
        JsonNode body = r.json();
        String path = body.hasNonNull("runId") ? "/trainings/" + body.get("runId").asText()
                : body.hasNonNull("studyId") ? "/tunings/" + body.get("studyId").asText()
                : body.path("id").asText("").startsWith("ds-") ? "/datasets/" + body.get("id").asText() : null;
        if (path != null) {
            RawHttp.send(stack.gateway.port(), RawHttp.request("DELETE", GatewayCases.API + path)
                    .bearer(Stack.API_KEY));
        }
    }

    /** {@code callers} requests at once; every answer, in no particular order. */
    private static List<Response> burst(int callers, java.util.function.Supplier<Request> request, int port)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            List<Request> requests = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                requests.add(request.get());
            }
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            List<Future<Response>> pending = new ArrayList<>();
            for (Request r : requests) {
                pending.add(pool.submit(() -> {
                    go.await();
                    return RawHttp.send(port, r);
                }));
            }
            go.countDown();
            List<Response> answers = new ArrayList<>();
            for (Future<Response> f : pending) {
                answers.add(f.get());
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }
}
