package io.transferlab.tuner;

import static io.restassured.RestAssured.given;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.transferlab.commons.security.KeyHashing;
import io.transferlab.testsupport.KafkaResource;
import io.transferlab.testsupport.ManagementEndpoints;
import io.transferlab.testsupport.PostgresResource;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * With keys configured (the default outside tests), the tuner's query API (every run, spec and error) answers only
 * callers with a key that has the {@code read} role, like the gateway's own key; health and metrics (on the
 * management port) stay open.
 */
@QuarkusTest
@TestProfile(TunerApiKeysIT.KeysOn.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
class TunerApiKeysIT {

    static final String KEY = "tuner-test-key";

    public static class KeysOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("transferlab.tuner.security.enabled", "true",
                    "transferlab.tuner.security.api-keys", "gateway:" + KeyHashing.sha256Hex(KEY) + ":read");
        }
    }

    @Test
    void refusesCallersWithoutAValidKey() {
        for (String path : new String[] {"/api/v1/runs", "/api/v1/studies", "/api/v1/models", "/api/v1/runs/r-1"}) {
            given().get(path).then().statusCode(401).contentType("application/problem+json");
            given().header("Authorization", "Bearer wrong").get(path).then().statusCode(401);
        }
    }

    @Test
    void answersCallersWithTheReadRole() {
        for (String path : new String[] {"/api/v1/runs", "/api/v1/studies", "/api/v1/models"}) {
            given().header("Authorization", "Bearer " + KEY).get(path).then().statusCode(200);
        }
        given().header("Authorization", "Bearer " + KEY).get("/api/v1/runs/no-such-run").then().statusCode(404);
    }

    @Test
    void healthAndMetricsStayOpen() {
        given().get(ManagementEndpoints.live()).then().statusCode(200);
        given().get(ManagementEndpoints.metrics()).then().statusCode(200);
    }
}
