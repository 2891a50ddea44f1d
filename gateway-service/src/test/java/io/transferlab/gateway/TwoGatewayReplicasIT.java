package io.transferlab.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.transferlab.commons.security.KeyHashing;
import io.transferlab.gateway.standin.InferenceStandIn;
import io.transferlab.gateway.standin.TunerStandIn;
import io.transferlab.testsupport.FreePorts;
import io.transferlab.testsupport.KafkaResource;
import io.transferlab.testsupport.ManagementEndpoints;
import io.transferlab.testsupport.QuarkusProcess;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two gateway replicas side by side on one broker: this test's Quarkus app and a second gateway PROCESS started
 * from the built jar ({@code target/quarkus-app/quarkus-run.jar}) with its production configuration. Both send
 * classify requests naming the same reply topic; each must get its own replies, never the other's.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(TunerStandIn.class)
class TwoGatewayReplicasIT {

    @TestHTTPResource("/")
    URL first;

    private static QuarkusProcess second;
    private static String secondUrl;
    private static InferenceStandIn inference;

    @BeforeAll
    static void startSecondReplicaAndResponder() throws Exception {
        inference = new InferenceStandIn(KafkaResource.bootstrapServers()).awaitAssignment();
        // the gateway jar, built by the package phase before the ITs, with its production configuration
        second = QuarkusProcess.of("gateway-service").name("second-gateway")
                .jvmOptions("-Xmx256m", "-XX:TieredStopAtLevel=1")
                .env("KAFKA_BOOTSTRAP_SERVERS", KafkaResource.bootstrapServers())
                .env("TRANSFERLAB_GATEWAY_SECURITY_API_KEYS", "replica-tester:" + KeyHashing.sha256Hex(TestKeys.ALL)
                        + ":classify+train")
                .env("TRANSFERLAB_DATA_DIR", "target/second-gateway-data")
                .env("QUARKUS_REST_CLIENT_TUNER_URL", "http://localhost:" + FreePorts.next())
                .log(Path.of("target/second-gateway.log"))
                .start();
        secondUrl = second.url();
        // ready means its reply consumer is assigned
        second.awaitReady(Duration.ofSeconds(90));
    }

    @AfterAll
    static void stop() {
        if (second != null) {
            second.close();
        }
        if (inference != null) {
            inference.close();
        }
    }

    @Test
    void eachReplicaReceivesItsOwnClassificationReplies() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> ManagementEndpoints.readiness() == 200);
        String firstUrl = first.toString().replaceAll("/$", "");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<CompletableFuture<Boolean>> checks = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                String target = i % 2 == 0 ? firstUrl : secondUrl;
                byte[] image = TestImages.png(16 + i, 16); // a different image, hence a different label, per request
                checks.add(CompletableFuture.supplyAsync(() -> {
                    Response r = given().baseUri(target).header("Authorization", "Bearer " + TestKeys.ALL)
                            .contentType("image/png").body(image).post("/api/v1/classifications");
                    return r.statusCode() == 200
                            && InferenceStandIn.labelFor(image).equals(r.path("predictions[0].label"));
                }, pool));
            }
            for (CompletableFuture<Boolean> c : checks) {
                assertThat(c.get(60, TimeUnit.SECONDS)).as("a replica got the reply to its own request").isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
        // Both replicas asked for replies on the same topic, without a reply partition: isolation comes from the
        // correlation ids; each replica reads every reply partition by explicit assignment.
        assertThat(inference.seen()).hasSizeGreaterThanOrEqualTo(12).allSatisfy(r -> {
            assertThat(new String(r.headers().lastHeader("REPLY_TOPIC").value(), StandardCharsets.UTF_8))
                    .isEqualTo("vision.classify.results");
            assertThat(r.headers().lastHeader("REPLY_PARTITION")).isNull();
        });
        ReplyConsumerGroups.assertNone(KafkaResource.bootstrapServers());
    }

    @Test
    void anAsyncResultCanBePolledOnTheOtherReplica() {
        await().atMost(Duration.ofSeconds(30)).until(() -> ManagementEndpoints.readiness() == 200);
        byte[] image = TestImages.png(50, 21);
        String location = given().header("Authorization", "Bearer " + TestKeys.ALL).header("Prefer", "respond-async")
                .contentType("image/png").body(image).post("/api/v1/classifications")
                .then().statusCode(202).extract().header("Location");
        String path = location.substring(location.indexOf("/api/v1/"));
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> given().baseUri(secondUrl)
                .header("Authorization", "Bearer " + TestKeys.ALL).get(path)
                .then().statusCode(200).body("status", org.hamcrest.Matchers.equalTo("COMPLETED"))
                .body("predictions[0].label", org.hamcrest.Matchers.equalTo(InferenceStandIn.labelFor(image))));
    }

}
