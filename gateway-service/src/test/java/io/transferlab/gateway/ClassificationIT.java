package io.transferlab.gateway;

import static io.transferlab.gateway.TestKeys.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.transferlab.contracts.MessageHeaders;
import io.transferlab.contracts.Topics;
import io.transferlab.contracts.classify.ClassifyRequest;
import io.transferlab.contracts.json.Json;
import io.transferlab.gateway.standin.InferenceStandIn;
import io.transferlab.gateway.standin.TunerStandIn;
import io.transferlab.testsupport.KafkaResource;
import io.transferlab.testsupport.ManagementEndpoints;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Classifications through the real broker, answered by the inference stand-in. */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(TunerStandIn.class)
class ClassificationIT {

    private static InferenceStandIn inference;

    @BeforeAll
    static void startResponder() {
        inference = new InferenceStandIn(KafkaResource.bootstrapServers()).awaitAssignment();
    }

    @AfterAll
    static void stopResponder() {
        inference.close();
    }

    private static void awaitReady() {
        await("gateway subscribed to replies").atMost(Duration.ofSeconds(30))
                .until(() -> ManagementEndpoints.readiness() == 200);
    }

    @Test
    void classifiesARawJpegSynchronouslyWithTopFive() {
        awaitReady();
        byte[] jpeg = TestImages.jpeg(64, 48);
        as(TestKeys.CLASSIFY).contentType("image/jpeg").header("X-Correlation-Id", "corr-classify-1").body(jpeg)
                .when().post("/api/v1/classifications")
                .then().statusCode(200)
                .header("X-Correlation-Id", "corr-classify-1")
                .body("status", equalTo("COMPLETED"))
                .body("modelId", equalTo("imagenet-resnet50"))
                .body("predictions", hasSize(5))
                .body("predictions[0].label", equalTo(InferenceStandIn.labelFor(jpeg)))
                .body("imageFormat", equalTo("image/jpeg"))
                .body("width", equalTo(64)).body("height", equalTo(48));

        ConsumerRecord<String, String> sent = inference.seen().stream()
                .filter(r -> "corr-classify-1".equals(header(r, MessageHeaders.CORRELATION_ID))).findFirst().orElseThrow();
        ClassifyRequest request = Json.read(sent.value(), ClassifyRequest.class);
        assertThat(sent.key()).isEqualTo(request.requestId());
        assertThat(request.image()).isEqualTo(jpeg);
        assertThat(request.contentType()).isEqualTo("image/jpeg");
        assertThat(header(sent, "REPLY_TOPIC")).isEqualTo(Topics.CLASSIFY_RESULTS);
        assertThat(header(sent, "REPLY_CORRELATION_ID")).isNotBlank();
        assertThat(header(sent, MessageHeaders.CE_TYPE)).isEqualTo("io.transferlab.ClassifyRequest");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
                io.restassured.RestAssured.get(ManagementEndpoints.metrics()).asString())
                .containsPattern("transferlab_classifications_total\\{[^}]*outcome=\"ok\"[^}]*\\} [1-9]")
                .contains("transferlab_classification_seconds_count"));
    }

    @Test
    void classifiesAMultipartPngWithModelAndTopK() {
        awaitReady();
        byte[] png = TestImages.png(40, 30);
        as(TestKeys.CLASSIFY).multiPart("image", "cat.png", png, "image/png").multiPart("model", "digits")
                .multiPart("topK", "3")
                .when().post("/api/v1/classifications")
                .then().statusCode(200)
                .body("modelId", equalTo("digits"))
                .body("predictions", hasSize(3))
                .body("predictions[0].label", equalTo(InferenceStandIn.labelFor(png)));
    }

    @Test
    void answersAsyncWith202AndTheResultCanBePolled() {
        awaitReady();
        byte[] png = TestImages.png(20, 20);
        Response accepted = as(TestKeys.CLASSIFY).contentType("image/png").header("Prefer", "respond-async").body(png)
                .when().post("/api/v1/classifications");
        accepted.then().statusCode(202)
                .header("Location", containsString("/api/v1/classifications/req-"))
                .header("Preference-Applied", "respond-async")
                .body("status", equalTo("PENDING"));
        String location = accepted.header("Location");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> as(TestKeys.CLASSIFY).get(location)
                .then().statusCode(200).body("status", equalTo("COMPLETED"))
                .body("predictions[0].label", equalTo(InferenceStandIn.labelFor(png))));
    }

    @Test
    void decidesTheMediaTypeByMagicNumberNotByTheHeader() {
        byte[] jpeg = TestImages.jpeg(32, 32);
        awaitReady();
        as(TestKeys.CLASSIFY).contentType("image/png").body(jpeg).when().post("/api/v1/classifications")
                .then().statusCode(200).body("imageFormat", equalTo("image/jpeg"));
        as(TestKeys.CLASSIFY).contentType("image/png").body(TestImages.gif(32, 32)).when()
                .post("/api/v1/classifications")
                .then().statusCode(415).contentType("application/problem+json")
                .body("detail", containsString("not a JPEG or PNG"));
        as(TestKeys.CLASSIFY).contentType("image/gif").body(TestImages.gif(32, 32)).when()
                .post("/api/v1/classifications")
                .then().statusCode(415).contentType("application/problem+json");
    }

    @Test
    void rejectsPngWithCorruptHeader() {
        byte[] png = TestImages.png(32, 32);
        png[12] = 'X'; // IHDR -> XHDR
        as(TestKeys.CLASSIFY).contentType("image/png").body(png).when().post("/api/v1/classifications")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("IHDR"));
    }

    @Test
    void rejectsImagesOutOfDimensionBoundsFromTheHeaderAlone() {
        as(TestKeys.CLASSIFY).contentType("image/png").body(TestImages.png(4, 64)).when()
                .post("/api/v1/classifications")
                .then().statusCode(422).contentType("application/problem+json")
                .body("detail", containsString("4x64"));
        // A PNG header that claims 20000 x 20000 with no pixel data behind it: the header decides, nothing decodes.
        byte[] huge = Arrays.copyOf(TestImages.png(16, 16), 64);
        java.nio.ByteBuffer.wrap(huge, 16, 8).putInt(20000).putInt(20000);
        as(TestKeys.CLASSIFY).contentType("image/png").body(huge).when().post("/api/v1/classifications")
                .then().statusCode(422).body("detail", containsString("20000x20000"));
    }

    @Test
    void refusesBodiesOverTheLimitDeclaredOrStreamed() {
        byte[] big = new byte[8 * 1024 * 1024 + 1];
        big[0] = (byte) 0xFF;
        big[1] = (byte) 0xD8;
        big[2] = (byte) 0xFF;
        as(TestKeys.CLASSIFY).contentType("image/jpeg").body(big).when().post("/api/v1/classifications")
                .then().statusCode(413).contentType("application/problem+json")
                .body("detail", containsString("at most 8388608 bytes"));
        // No Content-Length (chunked): counted while read, refused at the limit.
        as(TestKeys.CLASSIFY).contentType("image/jpeg").body(new ByteArrayInputStream(big)).when()
                .post("/api/v1/classifications")
                .then().statusCode(413).contentType("application/problem+json");
    }

    @Test
    void answers504WhenNoReplyComesAndKeepsTheLocation() {
        awaitReady();
        as(TestKeys.CLASSIFY).contentType("image/png").queryParam("model", InferenceStandIn.SILENT_MODEL)
                .body(TestImages.png(16, 16)).when().post("/api/v1/classifications")
                .then().statusCode(504).contentType("application/problem+json")
                .header("Location", containsString("/api/v1/classifications/req-"))
                .body("detail", containsString("no classification reply within 3000 ms"));
    }

    @Test
    void mapsTheInferenceErrorToAProblem() {
        awaitReady();
        as(TestKeys.CLASSIFY).contentType("image/png").queryParam("model", InferenceStandIn.MISSING_MODEL)
                .body(TestImages.png(16, 16)).when().post("/api/v1/classifications")
                .then().statusCode(404).contentType("application/problem+json")
                .body("detail", containsString("UNKNOWN_MODEL"))
                .body("instance", startsWith("/api/v1/classifications/req-"));
    }

    @Test
    void validatesModelAndTopK() {
        as(TestKeys.CLASSIFY).contentType("image/png").queryParam("topK", 0).queryParam("model", "../etc")
                .body(TestImages.png(16, 16)).when().post("/api/v1/classifications")
                .then().statusCode(400).contentType("application/problem+json")
                .body("violations.path", org.hamcrest.Matchers.hasItems("topK", "model"));
    }

    @Test
    void aPinnedVersionTravelsToTheInferenceServiceAndTheAnswerNamesIt() {
        awaitReady();
        byte[] png = TestImages.png(24, 24);
        as(TestKeys.CLASSIFY).contentType("image/png").queryParam("model", "digits@3")
                .header("X-Correlation-Id", "corr-pinned-1").body(png)
                .when().post("/api/v1/classifications")
                .then().statusCode(200)
                .body("modelId", equalTo("digits"))
                .body("modelVersion", equalTo(3));
        ClassifyRequest request = Json.read(inference.seen().stream()
                .filter(r -> "corr-pinned-1".equals(header(r, MessageHeaders.CORRELATION_ID))).findFirst()
                .orElseThrow().value(), ClassifyRequest.class);
        assertThat(request.modelId()).isEqualTo("digits");
        assertThat(request.modelVersion()).isEqualTo(3);

        as(TestKeys.CLASSIFY).multiPart("image", "d.png", png, "image/png").multiPart("model", "digits@2")
                .when().post("/api/v1/classifications")
                .then().statusCode(200).body("modelVersion", equalTo(2));
    }

    @Test
    void aPinThatIsNoPositiveIntegerIs400BeforeTheImageIsRead() {
        for (String model : new String[] {"digits@", "digits@0", "digits@x", "digits@-2", "@3"}) {
            as(TestKeys.CLASSIFY).contentType("image/png").queryParam("model", model).body(TestImages.png(16, 16))
                    .when().post("/api/v1/classifications")
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("violations.path", equalTo(java.util.List.of("model")));
        }
        as(TestKeys.CLASSIFY).multiPart("image", "d.png", TestImages.png(16, 16), "image/png")
                .multiPart("model", "digits@0")
                .when().post("/api/v1/classifications")
                .then().statusCode(400).contentType("application/problem+json")
                .body("violations[0].message", containsString("a positive integer"));
    }

    @Test
    void anAsynchronousRequestForAVersionTheTunerDoesNotKnowIs404AtOnce() {
        awaitReady();
        TunerStandIn.serve("/api/v1/models/digits", Views.model("digits"));
        try {
            as(TestKeys.CLASSIFY).contentType("image/png").header("Prefer", "respond-async")
                    .queryParam("model", "digits@7").body(TestImages.png(16, 16))
                    .when().post("/api/v1/classifications")
                    .then().statusCode(404).contentType("application/problem+json")
                    .body("detail", containsString("model digits has no version 7"));
            as(TestKeys.CLASSIFY).contentType("image/png").header("Prefer", "respond-async")
                    .queryParam("model", "digits@2").body(TestImages.png(16, 16))
                    .when().post("/api/v1/classifications")
                    .then().statusCode(202).body("modelVersion", equalTo(2)).body("status", equalTo("PENDING"));
        } finally {
            TunerStandIn.clear();
        }
    }

    @Test
    void unknownClassificationIs404() {
        as(TestKeys.CLASSIFY).get("/api/v1/classifications/req-20990101-000000-deadbeef")
                .then().statusCode(404).contentType("application/problem+json").body("detail", notNullValue());
    }

    @Test
    void multipartWithoutImageIs400() {
        as(TestKeys.CLASSIFY).multiPart("model", "x").when().post("/api/v1/classifications")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", endsWith("'image' (a file) is required"));
    }

    private static String header(ConsumerRecord<String, String> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
