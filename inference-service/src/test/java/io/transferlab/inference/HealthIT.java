package io.transferlab.inference;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.transferlab.testsupport.KafkaResource;
import io.transferlab.testsupport.ManagementEndpoints;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(InferenceTestResources.class)
class HealthIT {

    @Test
    void isLiveAndReadyWithItsBrokerAndItsWorkersOnTheManagementPortOnly() {
        given().when().get(ManagementEndpoints.live()).then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItem("Inference workers"));
        given().when().get(ManagementEndpoints.ready()).then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItem("Kafka broker"))
                .body("checks.name", hasItem("Inference workers"));
        ManagementEndpoints.assertServedOnTheManagementPortOnly();
    }

    /** The Open Inference Protocol's own health endpoints are part of the API: they stay on the API port, open. */
    @Test
    void theProtocolsHealthStaysOnTheApiPort() {
        given().when().get("/v2/health/live").then().statusCode(200).body("live", equalTo(true));
        given().when().get("/v2/health/ready").then().statusCode(200).body("ready", equalTo(true));
    }
}
