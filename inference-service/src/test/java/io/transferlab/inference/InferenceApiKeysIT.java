package io.transferlab.inference;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.transferlab.commons.security.KeyHashing;
import io.transferlab.testsupport.KafkaResource;
import io.transferlab.testsupport.ManagementEndpoints;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * With keys configured (the default outside tests), the OIP API answers only callers with a key that has the
 * {@code classify} role: no model is described, loaded ({@code /ready}) or run for anyone else. The server's
 * health endpoints (OIP, on the API port) and Quarkus' (on the management port) stay open for probes.
 */
@QuarkusTest
@TestProfile(InferenceApiKeysIT.KeysOn.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(InferenceTestResources.class)
class InferenceApiKeysIT {

    static final String KEY = "inference-test-key";

    public static class KeysOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("transferlab.inference.security.enabled", "true",
                    "transferlab.inference.security.api-keys", "ops:" + KeyHashing.sha256Hex(KEY) + ":classify");
        }
    }

    @Test
    void refusesCallersWithoutAValidKey() {
        String model = "/v2/models/" + InferenceTestResources.DIGITS;
        given().get(model).then().statusCode(401).header("WWW-Authenticate", "Bearer realm=\"transferlab\"")
                .contentType("application/problem+json");
        given().get(model + "/ready").then().statusCode(401);
        given().get("/v2").then().statusCode(401);
        given().contentType("application/json").body("{\"inputs\": []}").post(model + "/infer").then().statusCode(401);
        given().header("Authorization", "Bearer not-the-key").get(model).then().statusCode(401)
                .body("detail", equalTo("unknown API key"));
    }

    @Test
    void servesCallersWithTheClassifyRole() {
        given().header("Authorization", "Bearer " + KEY).get("/v2/models/" + InferenceTestResources.DIGITS)
                .then().statusCode(200).body("name", equalTo(InferenceTestResources.DIGITS));
    }

    @Test
    void healthStaysOpenForProbes() {
        given().get("/v2/health/live").then().statusCode(200);
        given().get(ManagementEndpoints.live()).then().statusCode(200);
    }
}
