package io.transferlab.tuner;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.transferlab.testsupport.KafkaResource;
import io.transferlab.testsupport.ManagementEndpoints;
import io.transferlab.testsupport.PostgresResource;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Health and metrics on the management interface only; the API port keeps the query API and OpenAPI. */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
class HealthIT {

    @Test
    void isReadyWithItsBrokerDatabaseAndRecordingOnTheManagementPortOnly() {
        await().atMost(Duration.ofSeconds(30)).until(() -> ManagementEndpoints.readiness() == 200);
        given().get(ManagementEndpoints.ready()).then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItems("Kafka broker", "Run recording"));
        ManagementEndpoints.assertServedOnTheManagementPortOnly();
        given().get("/q/openapi").then().statusCode(200);
        given().get("/api/v1/runs").then().statusCode(200);
    }
}
