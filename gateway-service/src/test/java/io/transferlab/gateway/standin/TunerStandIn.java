package io.transferlab.gateway.standin;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.transferlab.contracts.json.Json;
import io.transferlab.testsupport.FreePorts;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * TEST STAND-IN for the tuner's query API (built in parallel): a real HTTP server (the JDK's) on a free port that
 * serves whatever contracts views a test puts in it, at the paths the tuner serves them
 * ({@code /api/v1/runs/{id}}, {@code /api/v1/studies}, ...), and answers 404 with problem+json for anything else.
 * The gateway under test is pointed at it through {@code quarkus.rest-client.tuner.url}.
 */
public class TunerStandIn implements QuarkusTestResourceLifecycleManager {

    /** The gateway's key for the tuner's API; like the real tuner, the stand-in answers 401 to calls without it. */
    public static final String GATEWAY_KEY = "test-gateway-to-tuner-key";
    private static final Map<String, Answer> ANSWERS = new ConcurrentHashMap<>();
    private static HttpServer server;
    private static int port;

    record Answer(int status, String json) {
    }

    /** Serves {@code view} as JSON at {@code path} (with its query string, if the gateway sends one). */
    public static void serve(String path, Object view) {
        ANSWERS.put(path, new Answer(200, Json.write(view)));
    }

    public static void fail(String path, int status) {
        ANSWERS.put(path, new Answer(status, "{\"status\":" + status + ",\"title\":\"stand-in failure\"}"));
    }

    public static void clear() {
        ANSWERS.clear();
    }

    /** Takes the server away (connection refused) ... */
    public static synchronized void stopServer() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    /** ... and brings it back on the same port. */
    public static synchronized void startServer() {
        if (server != null) {
            return;
        }
        try {
            server = HttpServer.create(new InetSocketAddress("localhost", port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            String key = exchange.getRequestURI().getRawPath()
                    + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
            Answer a = ANSWERS.getOrDefault(key, ANSWERS.get(exchange.getRequestURI().getRawPath()));
            if (!("Bearer " + GATEWAY_KEY).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                a = new Answer(401, "{\"type\":\"about:blank\",\"title\":\"Unauthorized\",\"status\":401}");
            } else if (a == null) {
                a = new Answer(404, "{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404,\"detail\":\""
                        + exchange.getRequestURI().getPath() + " is not known\"}");
            }
            byte[] body = a.json().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", a.status() == 200 ? "application/json"
                    : "application/problem+json");
            exchange.sendResponseHeaders(a.status(), body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    @Override
    public Map<String, String> start() {
        port = FreePorts.next();
        startServer();
        return Map.of("quarkus.rest-client.tuner.url", "http://localhost:" + port,
                "transferlab.gateway.tuner-api-key", GATEWAY_KEY);
    }

    @Override
    public void stop() {
        stopServer();
        clear();
    }
}
