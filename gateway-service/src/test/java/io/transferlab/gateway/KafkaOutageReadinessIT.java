package io.transferlab.gateway;

import static io.restassured.RestAssured.given;
import static io.transferlab.testsupport.ManagementEndpoints.readiness;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.transferlab.testsupport.DedicatedKafkaResource;
import io.transferlab.testsupport.KafkaBroker;
import io.transferlab.testsupport.ManagementEndpoints;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Readiness follows the broker: DOWN within 30 s of it going away, UP again when it is back, no restart. While it
 * is DOWN, classifications are refused at once with 503 and Retry-After.
 */
@QuarkusTest
@WithTestResource(DedicatedKafkaResource.class)
class KafkaOutageReadinessIT {

    @Test
    void readinessGoesDownWithTheBrokerAndRecoversWithIt() {
        KafkaBroker broker = DedicatedKafkaResource.broker();
        await("ready while the broker runs").atMost(Duration.ofSeconds(30)).until(() -> readiness() == 200);

        long stoppedAt = System.nanoTime();
        broker.stop();
        await("DOWN within 30 s of the broker stopping").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500)).until(() -> readiness() == 503);
        System.out.printf("readiness DOWN %.1f s after the broker stopped%n", (System.nanoTime() - stoppedAt) / 1e9);

        // The gateway knows the broker is away: a classification is refused at once, not after the reply timeout.
        await("the reply reader's own check DOWN").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500)).until(() -> "DOWN".equals(
                        given().get(ManagementEndpoints.ready()).then().extract()
                                .path("checks.find { it.name == 'classification replies' }.status")));
        long asked = System.nanoTime();
        given().header("Authorization", "Bearer " + TestKeys.ALL).contentType("image/png")
                .body(TestImages.png(32, 32)).post("/api/v1/classifications")
                .then().statusCode(503).contentType("application/problem+json").header("Retry-After", "5")
                .body("type", containsString("broker-unavailable"));
        System.out.printf("classification refused in %.2f s while the broker is away%n",
                (System.nanoTime() - asked) / 1e9);

        long startedAt = System.nanoTime();
        broker.start();
        await("UP again after the broker returns").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500)).until(() -> readiness() == 200);
        System.out.printf("readiness UP %.1f s after the broker returned%n", (System.nanoTime() - startedAt) / 1e9);
    }
}
