package io.transferlab.inference;

import static io.restassured.RestAssured.given;
import static io.transferlab.inference.InferenceTestResources.DIGITS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.transferlab.testsupport.KafkaResource;
import io.transferlab.testsupport.ManagementEndpoints;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Open Inference Protocol v2 REST endpoints (KServe / Triton) against the model trained for this test run. */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(InferenceTestResources.class)
class OpenInferenceProtocolIT {

    private static Map<String, Object> bytesInput(List<Digits.Digit> digits) {
        List<String> data = digits.stream().map(d -> Base64.getEncoder().encodeToString(d.png())).toList();
        return Map.of("name", "image", "datatype", "BYTES", "shape", List.of(digits.size()), "data", data);
    }

    private static Map<String, Object> pixelInput(List<Digits.Digit> digits) {
        List<Integer> data = new ArrayList<>();
        for (Digits.Digit d : digits) {
            for (byte b : d.pixels().pixels()) {
                data.add(b & 0xFF);
            }
        }
        return Map.of("name", "image", "datatype", "UINT8", "shape", List.of(digits.size(), 28, 28, 1), "data", data);
    }

    private static JsonPath infer(String model, Map<String, Object> body, int status) {
        return given().contentType(ContentType.JSON).body(body)
                .post("/v2/models/" + model + "/infer")
                .then().statusCode(status)
                .contentType(org.hamcrest.Matchers.startsWith(status == 200 ? "application/json" : "application/problem+json"))
                .extract().jsonPath();
    }

    @Test
    void answersServerMetadataLivenessAndReadiness() {
        given().get("/v2").then().statusCode(200).body("name", equalTo("inference-service"));
        given().get("/v2/health/live").then().statusCode(200).body("live", equalTo(true));
        given().get("/v2/health/ready").then().statusCode(200).body("ready", equalTo(true));
    }

    @Test
    void describesAModelOfTheStoreWithItsTensors() {
        given().get("/v2/models/" + DIGITS).then().statusCode(200)
                .body("name", equalTo(DIGITS))
                .body("versions", hasItem("1"))
                .body("platform", equalTo("djl-pytorch"))
                .body("inputs[0].name", equalTo("image"))
                .body("inputs[0].datatype", equalTo("BYTES"))
                .body("outputs.name", hasItems("labels", "scores", "class_indices", "probabilities"))
                .body("parameters.image_size", equalTo(28))
                .body("parameters.classes", equalTo(10));
    }

    @Test
    void aModelIsReadyOnceLoadedAndAModelWithoutWeightsSaysWhy() {
        given().get("/v2/models/" + DIGITS + "/ready").then().statusCode(200).body("ready", equalTo(true));
        given().get("/v2/models/imagenet-resnet50/ready").then().statusCode(400)
                .body("ready", equalTo(false))
                .body("error", containsString("resnet50-imagenet.pt"));
        given().get("/v2/models/no-such-model/ready").then().statusCode(404)
                .body("error", containsString("no-such-model"));
        given().get("/v2/models/no-such-model").then().statusCode(404)
                .body("error", containsString("no-such-model")).body("code", equalTo("UNKNOWN_MODEL"));
    }

    @Test
    void classifiesBase64EncodedPngDigitsInOneBatch() {
        List<Digits.Digit> digits = Digits.test(12);

        JsonPath r = infer(DIGITS, Map.of("id", "oip-1", "parameters", Map.of("top_k", 2),
                "inputs", List.of(bytesInput(digits))), 200);

        assertThat(r.getString("model_name")).isEqualTo(DIGITS);
        assertThat(r.getString("model_version")).isEqualTo("1");
        assertThat(r.getString("id")).isEqualTo("oip-1");
        assertThat(r.getList("outputs.name")).containsExactly("labels", "scores", "class_indices");
        assertThat(r.getList("outputs[0].shape", Integer.class)).containsExactly(12, 2);
        assertThat(r.getString("outputs[1].datatype")).isEqualTo("FP32");
        List<Integer> classes = r.getList("outputs[2].data", Integer.class);
        List<String> labels = r.getList("outputs[0].data", String.class);
        int correct = 0;
        for (int i = 0; i < digits.size(); i++) {
            assertThat(labels.get(2 * i)).isEqualTo(String.valueOf(classes.get(2 * i)));
            if (classes.get(2 * i) == digits.get(i).label()) {
                correct++;
            }
        }
        assertThat(correct).isGreaterThanOrEqualTo(9);
        // the images of one request are queued together, so they share a forward pass
        assertThat(r.getInt("parameters.largest_batch")).isEqualTo(12);
    }

    @Test
    void pixelsSentAsAUint8TensorGetTheSameAnswerAsTheirPng() {
        List<Digits.Digit> digits = Digits.test(4);

        JsonPath fromPng = infer(DIGITS, Map.of("inputs", List.of(bytesInput(digits))), 200);
        JsonPath fromPixels = infer(DIGITS, Map.of("inputs", List.of(pixelInput(digits))), 200);

        assertThat(fromPixels.getList("outputs[2].data", Integer.class))
                .isEqualTo(fromPng.getList("outputs[2].data", Integer.class));
        assertThat(fromPixels.getList("outputs[2].shape", Integer.class)).containsExactly(4, 5);
    }

    @Test
    void givesEveryClassProbabilityWhenAskedFor() {
        List<Digits.Digit> digits = Digits.test(2);

        JsonPath r = infer(DIGITS, Map.of("inputs", List.of(bytesInput(digits)),
                "outputs", List.of(Map.of("name", "probabilities"), Map.of("name", "class_indices"))), 200);

        assertThat(r.getList("outputs.name")).containsExactly("probabilities", "class_indices");
        assertThat(r.getList("outputs[0].shape", Integer.class)).containsExactly(2, 10);
        List<Float> p = r.getList("outputs[0].data", Float.class);
        for (int i = 0; i < 2; i++) {
            List<Float> row = p.subList(10 * i, 10 * i + 10);
            assertThat(row.stream().mapToDouble(Float::doubleValue).sum()).isCloseTo(1.0,
                    org.assertj.core.data.Offset.offset(1e-3));
            int argmax = 0;
            for (int c = 1; c < 10; c++) {
                if (row.get(c) > row.get(argmax)) {
                    argmax = c;
                }
            }
            assertThat(argmax).isEqualTo(r.getList("outputs[1].data", Integer.class).get(5 * i));
        }
    }

    @Test
    void answersErrorsInTheProtocolsShape() {
        Map<String, Object> one = bytesInput(Digits.test(1));
        JsonPath unknown = infer("no-such-model", Map.of("inputs", List.of(one)), 404);
        assertThat(unknown.getString("error")).contains("no-such-model");
        assertThat(unknown.getString("code")).isEqualTo("UNKNOWN_MODEL");

        JsonPath noWeights = infer("imagenet-resnet50", Map.of("inputs", List.of(one)), 503);
        assertThat(noWeights.getString("error")).contains("resnet50-imagenet.pt");
        assertThat(noWeights.getString("code")).isEqualTo("MISSING_WEIGHTS");

        JsonPath notAnImage = infer(DIGITS, Map.of("inputs", List.of(Map.of("name", "image", "datatype", "BYTES",
                "shape", List.of(1), "data", List.of(Base64.getEncoder().encodeToString("hello".getBytes()))))), 400);
        assertThat(notAnImage.getString("code")).isEqualTo("INVALID_IMAGE");

        JsonPath badTensor = infer(DIGITS, Map.of("inputs", List.of(Map.of("name", "image", "datatype", "FP32",
                "shape", List.of(1), "data", List.of(1.0)))), 400);
        assertThat(badTensor.getString("error")).contains("datatype 'FP32'");

        given().contentType(ContentType.JSON).body("{ not json").post("/v2/models/" + DIGITS + "/infer")
                .then().statusCode(400).body("error", containsString("not JSON"));
    }

    @Test
    void exposesRequestBatchQueueAndCacheMetrics() {
        infer(DIGITS, Map.of("inputs", List.of(bytesInput(Digits.test(3)))), 200);

        String metrics = given().get(ManagementEndpoints.metrics()).then().statusCode(200).extract().asString();

        assertThat(metrics)
                .contains("transferlab_inference_requests_total{code=\"none\",status=\"ok\",transport=\"http\"")
                .contains("transferlab_inference_request_duration_seconds_bucket")
                .contains("transferlab_inference_batch_size_bucket")
                .contains("transferlab_inference_queue_depth")
                .contains("transferlab_inference_model_cache_hits_total")
                .contains("transferlab_inference_model_cache_misses_total")
                .contains("transferlab_inference_models_loaded");
    }
}
