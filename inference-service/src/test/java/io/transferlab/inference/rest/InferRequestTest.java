package io.transferlab.inference.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.transferlab.inference.service.ImageInput;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class InferRequestTest {

    private static InferRequest parse(String json) {
        return InferRequest.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsBase64EncodedImagesTopKAndRequestedOutputs() {
        InferRequest r = parse("""
                {"id": "r1", "parameters": {"top_k": 3},
                 "inputs": [{"name": "image", "datatype": "BYTES", "shape": [2], "data": ["%s", "%s"]}],
                 "outputs": [{"name": "labels"}, {"name": "probabilities"}]}
                """.formatted(b64("one"), b64("two")));

        assertThat(r.id()).isEqualTo("r1");
        assertThat(r.topK()).isEqualTo(3);
        assertThat(r.outputs()).containsExactly("labels", "probabilities");
        assertThat(r.images()).hasSize(2);
        assertThat(((ImageInput.Encoded) r.images().get(1)).bytes()).isEqualTo("two".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsPixelsInNestedOrFlatLayout() {
        InferRequest r = parse("""
                {"inputs": [{"name": "image", "datatype": "UINT8", "shape": [1, 2, 2, 1], "data": [[[0, 255], [7, 9]]]}]}
                """);
        ImageInput.Pixels p = (ImageInput.Pixels) r.images().get(0);
        assertThat(p.image().width()).isEqualTo(2);
        assertThat(p.image().height()).isEqualTo(2);
        assertThat(p.image().at(1, 0, 0)).isEqualTo(255);
        assertThat(p.image().at(0, 1, 0)).isEqualTo(7);
        assertThat(r.topK()).isEqualTo(InferRequest.DEFAULT_TOP_K);
        assertThat(r.outputsRequested()).isFalse();
    }

    @Test
    void explainsEveryWayARequestCanBeWrong() {
        assertBad("not json", "not JSON");
        assertBad("[1]", "JSON object");
        assertBad("{\"inputs\": []}", "exactly one input");
        assertBad("""
                {"inputs": [{"name": "pixels", "datatype": "BYTES", "shape": [1], "data": ["AA=="]}]}""",
                "must be named 'image'");
        assertBad("""
                {"inputs": [{"name": "image", "datatype": "FP32", "shape": [1], "data": [1.0]}]}""",
                "datatype 'FP32'");
        assertBad("""
                {"inputs": [{"name": "image", "datatype": "BYTES", "shape": [2], "data": ["AA=="]}]}""",
                "needs 2 data elements, got 1");
        assertBad("""
                {"inputs": [{"name": "image", "datatype": "BYTES", "shape": [1], "data": ["**not base64**"]}]}""",
                "not base64");
        assertBad("""
                {"inputs": [{"name": "image", "datatype": "UINT8", "shape": [1, 1, 1, 3], "data": [1, 2, 300]}]}""",
                "not 0..255");
        assertBad("""
                {"inputs": [{"name": "image", "datatype": "UINT8", "shape": [1, 2, 2, 2], "data": [1, 2, 3, 4, 5, 6, 7, 8]}]}""",
                "C = 1 (gray) or 3 (RGB)");
        assertBad("""
                {"parameters": {"top_k": 0}, "inputs": [{"name": "image", "datatype": "BYTES", "shape": [1], "data": ["AA=="]}]}""",
                "top_k");
        assertBad("""
                {"inputs": [{"name": "image", "datatype": "BYTES", "shape": [1], "data": ["AA=="]}], "outputs": [{"name": "logits"}]}""",
                "unknown output");
    }

    private static void assertBad(String json, String reason) {
        assertThatThrownBy(() -> parse(json)).isInstanceOf(OipException.class)
                .hasMessageContaining(reason)
                .satisfies(e -> assertThat(((OipException) e).status()).isEqualTo(400));
    }
}
