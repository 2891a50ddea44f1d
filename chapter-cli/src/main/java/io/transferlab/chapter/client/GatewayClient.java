package io.transferlab.chapter.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.transferlab.contracts.json.Json;
import io.transferlab.contracts.query.ModelView;
import io.transferlab.contracts.query.RunView;
import io.transferlab.contracts.query.StudyView;
import io.transferlab.contracts.sse.ServerSentEvent;
import io.transferlab.contracts.sse.SseParser;
import io.transferlab.contracts.train.RunSpec;
import io.transferlab.contracts.tune.Objective;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The public HTTP API of the gateway, as a user's program calls it (Bearer API key, JSON, SSE), and its readiness,
 * which the gateway serves on its management interface (a port of its own), not next to the API.
 */
public final class GatewayClient {

    private final URI base;
    private final URI management;
    private final String apiKey;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /**
     * @param base the API's base URL, e.g. {@code http://localhost:8080}
     * @param management the gateway's management interface, e.g. {@code http://localhost:9080}
     */
    public GatewayClient(URI base, URI management, String apiKey) {
        this.base = base;
        this.management = management;
        this.apiKey = apiKey;
    }

    /** Whether {@code /q/health/ready} on the management interface says UP (the broker and the reply reader). */
    public boolean ready() {
        try {
            HttpRequest request = HttpRequest.newBuilder(management.resolve("/q/health/ready"))
                    .timeout(Duration.ofSeconds(5)).build();
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Classifies an image (JPEG or PNG bytes) with a model; the answer as the gateway gives it. */
    public JsonNode classify(byte[] image, String contentType, String modelId, int topK) {
        String query = "?model=" + enc(modelId) + "&topK=" + topK;
        return send(request("/api/v1/classifications" + query).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(image)));
    }

    /** Queues a training run; returns its run id. */
    public String startTraining(RunSpec spec, String modelId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("spec", spec);
        if (modelId != null) {
            body.put("modelId", modelId);
        }
        return send(json("/api/v1/trainings", body)).path("runId").asText();
    }

    public RunView training(String runId) {
        return Json.mapper().convertValue(send(request("/api/v1/trainings/" + enc(runId)).GET()), RunView.class);
    }

    /** Starts a grid study; returns its study id. */
    public String startTuning(String name, RunSpec baseSpec, Map<String, List<Object>> grid, int maxParallel,
            Objective objective) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("baseSpec", baseSpec);
        body.put("grid", grid);
        body.put("maxParallel", maxParallel);
        body.put("objective", objective);
        return send(json("/api/v1/tunings", body)).path("studyId").asText();
    }

    public StudyView tuning(String studyId) {
        return Json.mapper().convertValue(send(request("/api/v1/tunings/" + enc(studyId)).GET()), StudyView.class);
    }

    public List<ModelView> models() {
        return Arrays.asList(Json.mapper().convertValue(send(request("/api/v1/models").GET()), ModelView[].class));
    }

    /**
     * Follows a run's or study's event stream ({@code kind} = trainings or tunings) and hands every event to the
     * listener until it returns false or the stream sends {@code complete}.
     */
    public void follow(String kind, String id, Predicate<ServerSentEvent> listener) {
        HttpRequest req = request("/api/v1/" + kind + "/" + enc(id) + "/events").header("Accept", "text/event-stream")
                .timeout(Duration.ofHours(6)).GET().build();
        try {
            HttpResponse<Stream<String>> response = http.send(req, HttpResponse.BodyHandlers.ofLines());
            if (response.statusCode() != 200) {
                throw new GatewayException(response.statusCode(), kind + "/" + id + "/events answered "
                        + response.statusCode());
            }
            try (Stream<String> lines = response.body()) {
                SseParser parser = new SseParser();
                for (String line : (Iterable<String>) lines::iterator) {
                    ServerSentEvent event = parser.accept(line);
                    if (event != null && (!listener.test(event) || "complete".equals(event.event()))) {
                        return;
                    }
                }
            }
        } catch (IOException e) {
            throw new GatewayException(0, "event stream of " + kind + "/" + id + " broke: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GatewayException(0, "interrupted");
        }
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofMinutes(2))
                .header("Authorization", "Bearer " + apiKey);
    }

    private HttpRequest.Builder json(String path, Object body) {
        return request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(body)));
    }

    private JsonNode send(HttpRequest.Builder builder) {
        HttpRequest req = builder.build();
        try {
            HttpResponse<String> response = http.send(req, HttpResponse.BodyHandlers.ofString());
            JsonNode body = response.body() == null || response.body().isBlank()
                    ? Json.mapper().nullNode() : Json.mapper().readTree(response.body());
            if (response.statusCode() >= 400) {
                String detail = body.path("detail").asText(body.toString());
                throw new GatewayException(response.statusCode(), req.method() + " " + req.uri().getPath()
                        + " answered " + response.statusCode() + ": " + detail);
            }
            return body;
        } catch (IOException e) {
            throw new GatewayException(0, req.method() + " " + req.uri() + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GatewayException(0, "interrupted");
        }
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
