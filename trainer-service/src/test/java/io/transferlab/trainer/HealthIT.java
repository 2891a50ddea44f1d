package io.transferlab.trainer;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.transferlab.testsupport.KafkaResource;
import io.transferlab.testsupport.ManagementEndpoints;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(TrainerTestResource.class)
class HealthIT {

    @Test
    void isLiveAndReadyWithItsBrokerOnTheManagementPortOnly() {
        given().when().get(ManagementEndpoints.live()).then().statusCode(200).body("status", equalTo("UP"));
        given().when().get(ManagementEndpoints.ready()).then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItems("Kafka broker", "Trainer"))
                .body("checks.find { it.name == 'Trainer' }.data.device", equalTo("cpu()"));
        ManagementEndpoints.assertServedOnTheManagementPortOnly();
    }
}
