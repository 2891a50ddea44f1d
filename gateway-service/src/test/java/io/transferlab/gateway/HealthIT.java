package io.transferlab.gateway;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.transferlab.gateway.standin.TunerStandIn;
import io.transferlab.testsupport.KafkaResource;
import io.transferlab.testsupport.ManagementEndpoints;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Health and metrics on the management interface only; the API port keeps the API, OpenAPI and the dashboard. */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(TunerStandIn.class)
class HealthIT {

    @Test
    void isReadyWithItsBrokerAndItsReplyReaderOnTheManagementPortOnly() {
        // ready once the reply reader holds its partitions
        await().atMost(Duration.ofSeconds(30)).until(() -> ManagementEndpoints.readiness() == 200);
        given().get(ManagementEndpoints.ready()).then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItems("Kafka broker", "classification replies"));
        ManagementEndpoints.assertServedOnTheManagementPortOnly();
        given().get("/q/openapi").then().statusCode(200);
    }
}
