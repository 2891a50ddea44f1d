package io.transferlab.gateway;

import static io.restassured.RestAssured.given;
import static io.transferlab.gateway.TestKeys.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.transferlab.contracts.Topics;
import io.transferlab.contracts.json.Json;
import io.transferlab.gateway.standin.TunerStandIn;
import io.transferlab.testsupport.KafkaResource;
import io.transferlab.testsupport.ManagementEndpoints;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * API keys: 401 without a valid key, 403 without the role; health and metrics (on the management port), OpenAPI and
 * the dashboard stay open.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(TunerStandIn.class)
class SecurityIT {

    /** Every write operation the OpenAPI document lists, with its concrete path. */
    private static List<String[]> writeOperations() throws Exception {
        JsonNode paths = Json.mapper().readTree(given().queryParam("format", "json").get("/q/openapi").asString())
                .path("paths");
        List<String[]> ops = new ArrayList<>();
        paths.fields().forEachRemaining(p -> p.getValue().fieldNames().forEachRemaining(method -> {
            if (Set.of("post", "put", "patch", "delete").contains(method)) {
                var content = p.getValue().path(method).path("requestBody").path("content");
                List<String> types = new ArrayList<>();
                content.fieldNames().forEachRemaining(types::add);
                String path = p.getKey().replace("{id}", "run-20990101-000000-00000000")
                        .replace("{alias}", "production").replaceAll("\\{[^/]+}", "x");
                if (types.isEmpty()) {
                    types.add("application/json");
                }
                for (String type : types) {
                    ops.add(new String[] {method, path, type});
                }
            }
        }));
        return ops;
    }

    @Test
    void noWriteCallSucceedsWithoutAKey() throws Exception {
        List<String[]> ops = writeOperations();
        assertThat(ops).extracting(o -> o[0] + " " + o[1]).contains("post /api/v1/classifications",
                "post /api/v1/trainings", "delete /api/v1/trainings/run-20990101-000000-00000000",
                "post /api/v1/tunings", "delete /api/v1/tunings/run-20990101-000000-00000000", "post /api/v1/datasets",
                "put /api/v1/models/run-20990101-000000-00000000/aliases/production");
        long before = endOffsets();
        for (String[] op : ops) {
            for (var request : List.of(given(), given().header("Authorization", "Bearer not-a-key"),
                    given().header("Authorization", "Basic dXNlcjpwYXNz"))) {
                var body = op[2].startsWith("multipart/") ? request.multiPart("image", "a.png", TestImages.png(16, 16))
                        .multiPart("file", "a.zip", new byte[] {'P', 'K', 3, 4})
                        : request.contentType(op[2]).body(op[2].contains("json")
                                ? "{\"spec\":{\"dataset\":\"mnist\"}}".getBytes() : TestImages.png(16, 16));
                body.when().request(op[0].toUpperCase(), op[1])
                        .then().statusCode(401).contentType("application/problem+json")
                        .header("WWW-Authenticate", containsString("Bearer"));
            }
        }
        assertThat(endOffsets()).as("nothing reached Kafka").isEqualTo(before);
    }

    @Test
    void aKeyWithoutTheRoleIsForbidden() {
        as(TestKeys.CLASSIFY).contentType("application/json").body("{\"spec\":{\"dataset\":\"mnist\"}}")
                .post("/api/v1/trainings").then().statusCode(403).contentType("application/problem+json")
                .body("detail", containsString("role"));
        as(TestKeys.CLASSIFY).delete("/api/v1/tunings/study-20990101-000000-00000000").then().statusCode(403);
        as(TestKeys.TRAIN).contentType("image/png").body(TestImages.png(16, 16)).post("/api/v1/classifications")
                .then().statusCode(403).contentType("application/problem+json");
        as(TestKeys.TRAIN).get("/api/v1/classifications/req-x").then().statusCode(403);
    }

    @Test
    void readsNeedAKeyButNoRole() {
        given().get("/api/v1/datasets").then().statusCode(401);
        as(TestKeys.CLASSIFY).get("/api/v1/datasets").then().statusCode(200);
        as(TestKeys.TRAIN).get("/api/v1/datasets").then().statusCode(200);
    }

    @Test
    void healthMetricsOpenApiAndDashboardStayOpen() {
        given().get(ManagementEndpoints.live()).then().statusCode(200);
        given().get(ManagementEndpoints.metrics()).then().statusCode(200)
                .body(containsString("transferlab_classifications_in_flight"));
        given().get("/q/openapi").then().statusCode(200).body(containsString("apiKey"));
        given().get("/q/swagger-ui/").then().statusCode(200);
        given().get("/").then().statusCode(200).contentType(containsString("text/html"));
        given().get("/webjars/chart.js/dist/chart.umd.min.js").then().statusCode(200);
    }

    @Test
    void theKeyOwnerNamesTheCancel() {
        // a run the tuner knows (cancelling an unknown run is 404)
        TunerStandIn.serve("/api/v1/runs/run-20990101-000000-0000abcd",
                Views.run("run-20990101-000000-0000abcd", io.transferlab.contracts.train.RunStatus.RUNNING, 0));
        as(TestKeys.TRAIN).delete("/api/v1/trainings/run-20990101-000000-0000abcd").then().statusCode(202)
                .body("id", equalTo("run-20990101-000000-0000abcd")).body("action", equalTo("CANCEL"));
    }

    private static long endOffsets() throws Exception {
        try (Admin admin = Admin.create(java.util.Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                KafkaResource.bootstrapServers()))) {
            var existing = admin.listTopics().names().get();
            var missing = Topics.all().stream().filter(t -> !existing.contains(t))
                    .map(t -> new org.apache.kafka.clients.admin.NewTopic(t, 4, (short) 1)).toList();
            if (!missing.isEmpty()) {
                try {
                    admin.createTopics(missing).all().get();
                } catch (java.util.concurrent.ExecutionException e) {
                    if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
                        throw e;
                    }
                }
            }
            long sum = 0;
            for (String topic : List.of(Topics.TRAIN_REQUESTS, Topics.TUNE_REQUESTS, Topics.TRAIN_CONTROL,
                    Topics.TUNE_CONTROL, Topics.CLASSIFY_REQUESTS)) {
                var parts = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions();
                var query = new java.util.HashMap<TopicPartition, OffsetSpec>();
                parts.forEach(p -> query.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
                for (var info : admin.listOffsets(query).all().get().values()) {
                    sum += info.offset();
                }
            }
            return sum;
        }
    }

}
