package io.transferlab.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.transferlab.contracts.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Health ({@code /q/health/*}) and metrics ({@code /q/metrics}) of the application a {@code @QuarkusTest} runs.
 * Every service serves them on Quarkus' management interface, a port of its own, and no longer on the API port
 * that RestAssured calls by default. In tests that port is random ({@code %test.quarkus.management.test-port=0},
 * like the API's, so that parallel builds and a running local stack do not collide); Quarkus publishes the port
 * it really got into the running application's configuration, which is where the URLs here come from. Call these
 * from test code (while the application runs), not from static initialisers.
 */
public final class ManagementEndpoints {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private ManagementEndpoints() {
    }

    /** The management interface's root, e.g. {@code http://localhost:41234/q}. */
    public static String base() {
        return trimSlash(ConfigProvider.getConfig().getValue("test.management.url", String.class));
    }

    /** The API port's root, e.g. {@code http://localhost:40123}. */
    public static String api() {
        return trimSlash(ConfigProvider.getConfig().getValue("test.url", String.class));
    }

    /** {@code /q/health} on the management interface. */
    public static String health() {
        return base() + "/health";
    }

    /** {@code /q/health/live}. */
    public static String live() {
        return health() + "/live";
    }

    /** {@code /q/health/ready}. */
    public static String ready() {
        return health() + "/ready";
    }

    /** {@code /q/metrics} (Prometheus text). */
    public static String metrics() {
        return base() + "/metrics";
    }

    /** The HTTP status of {@code /q/health/ready} on the management interface; -1 when nothing answers. */
    public static int readiness() {
        return status(ready());
    }

    /**
     * Health is UP and metrics answer on the management interface, and neither is served on the API port any more
     * (404): what the move to the management interface promises, checked the way a caller sees it.
     */
    public static void assertServedOnTheManagementPortOnly() {
        for (String url : List.of(health(), live(), ready())) {
            HttpResponse<String> r = get(url);
            assertThat(r.statusCode()).as("GET %s: %s", url, r.body()).isEqualTo(200);
            assertThat(status(r)).as("GET %s: %s", url, r.body()).isEqualTo("UP");
        }
        HttpResponse<String> metrics = get(metrics());
        assertThat(metrics.statusCode()).as("GET %s", metrics()).isEqualTo(200);
        assertThat(metrics.body()).as("Prometheus text at %s", metrics()).contains("# TYPE ");
        assertThat(URI.create(base()).getPort()).as("management port").isNotEqualTo(URI.create(api()).getPort());
        for (String path : List.of("/q/health", "/q/health/live", "/q/health/ready", "/q/health/started",
                "/q/metrics")) {
            assertThat(status(api() + path)).as("GET %s on the API port", path).isEqualTo(404);
        }
    }

    private static String status(HttpResponse<String> r) {
        try {
            JsonNode body = Json.mapper().readTree(r.body());
            return body.path("status").asText();
        } catch (IOException e) {
            return "not JSON: " + r.body();
        }
    }

    private static int status(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static HttpResponse<String> get(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("GET " + url + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted during GET " + url, e);
        }
    }

    private static String trimSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
