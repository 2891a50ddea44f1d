package io.transferlab.inference.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.transferlab.inference.service.ImageInput;
import io.transferlab.vision.image.DecodedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * An Open Inference Protocol inference request, read by hand so that every way it can be wrong gets its own
 * message. The tensor contract (see docs/inference.md):
 * <ul>
 * <li>one input named {@code image}: {@code BYTES} with shape {@code [N]} or {@code [N,1]}, each element the
 * base64 of a JPEG or PNG file; or {@code UINT8} with shape {@code [N,H,W,C]} (C = 1 gray or 3 RGB), pixels in
 * row-major order;</li>
 * <li>parameter {@code top_k} (default 5): labels per image;</li>
 * <li>outputs: {@code labels} (BYTES [N,K]), {@code scores} (FP32 [N,K]), {@code class_indices} (INT64 [N,K]),
 * {@code synsets} (BYTES [N,K], ImageNet models), {@code probabilities} (FP32 [N,C], only when asked for).</li>
 * </ul>
 */
public record InferRequest(String id, List<ImageInput> images, int topK, List<String> outputs) {

    public static final String INPUT = "image";
    public static final String LABELS = "labels";
    public static final String SCORES = "scores";
    public static final String CLASS_INDICES = "class_indices";
    public static final String SYNSETS = "synsets";
    public static final String PROBABILITIES = "probabilities";
    public static final List<String> OUTPUTS = List.of(LABELS, SCORES, CLASS_INDICES, SYNSETS, PROBABILITIES);
    public static final int DEFAULT_TOP_K = 5;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Whether the outputs were named by the client (else the defaults apply). */
    public boolean outputsRequested() {
        return !outputs.isEmpty();
    }

    public boolean wants(String output) {
        return outputs.contains(output);
    }

    public static InferRequest parse(byte[] body) {
        return parse(body, Integer.MAX_VALUE);
    }

    /** Parses a request of at most {@code maxImages} images (counted from the shape, before any is decoded). */
    public static InferRequest parse(byte[] body, int maxImages) {
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw OipException.badRequest("the request body is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw OipException.badRequest("the request body cannot be read: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw OipException.badRequest("the request body must be a JSON object with an 'inputs' array");
        }
        String id = root.hasNonNull("id") ? root.get("id").asText() : null;
        int topK = topK(root.path("parameters"));
        JsonNode inputs = root.get("inputs");
        if (inputs == null || !inputs.isArray() || inputs.size() != 1) {
            throw OipException.badRequest("exactly one input tensor is expected: '" + INPUT + "' (BYTES [N] of "
                    + "base64 JPEG/PNG files, or UINT8 [N,H,W,C] pixels)");
        }
        List<ImageInput> images = images(inputs.get(0), maxImages);
        return new InferRequest(id, images, topK, outputs(root.get("outputs")));
    }

    private static int topK(JsonNode parameters) {
        JsonNode k = parameters.get("top_k");
        if (k == null || k.isNull()) {
            return DEFAULT_TOP_K;
        }
        if (!k.canConvertToInt() || !k.isIntegralNumber() || k.asInt() < 1) {
            throw OipException.badRequest("parameter top_k must be a whole number >= 1, not " + k);
        }
        return k.asInt();
    }

    private static List<String> outputs(JsonNode outputs) {
        if (outputs == null || outputs.isNull()) {
            return List.of();
        }
        if (!outputs.isArray()) {
            throw OipException.badRequest("'outputs' must be an array of {\"name\": ...}");
        }
        List<String> names = new ArrayList<>();
        for (JsonNode o : outputs) {
            String name = o.path("name").asText(null);
            if (name == null || !OUTPUTS.contains(name)) {
                throw OipException.badRequest("unknown output " + o.path("name") + "; outputs are "
                        + String.join(", ", OUTPUTS));
            }
            names.add(name);
        }
        return names;
    }

    private static List<ImageInput> images(JsonNode input, int maxImages) {
        String name = input.path("name").asText("");
        if (!INPUT.equals(name)) {
            throw OipException.badRequest("the input tensor must be named '" + INPUT + "', not '" + name + "'");
        }
        long[] shape = shape(input.get("shape"));
        if (shape[0] > maxImages) {
            throw OipException.badRequest("input '" + INPUT + "' holds " + shape[0] + " images; at most " + maxImages
                    + " are accepted per request (send several requests)");
        }
        List<JsonNode> data = new ArrayList<>();
        JsonNode raw = input.get("data");
        if (raw == null || !raw.isArray()) {
            throw OipException.badRequest("input '" + INPUT + "' needs a 'data' array");
        }
        flatten(raw, data);
        String datatype = input.path("datatype").asText("");
        return switch (datatype) {
            case "BYTES" -> encoded(shape, data);
            case "UINT8" -> pixels(shape, data);
            default -> throw OipException.badRequest("input '" + INPUT + "' has datatype '" + datatype + "'; use "
                    + "BYTES (base64 JPEG/PNG files, shape [N]) or UINT8 (pixels, shape [N,H,W,C])");
        };
    }

    private static List<ImageInput> encoded(long[] shape, List<JsonNode> data) {
        if (!(shape.length == 1 || (shape.length == 2 && shape[1] == 1))) {
            throw OipException.badRequest("a BYTES input has shape [N] or [N,1], one encoded image per element");
        }
        checkCount(shape, data.size());
        List<ImageInput> images = new ArrayList<>(data.size());
        for (int i = 0; i < data.size(); i++) {
            JsonNode element = data.get(i);
            if (!element.isTextual()) {
                throw OipException.badRequest("input element " + i + " must be a base64 string");
            }
            try {
                images.add(ImageInput.encoded(Base64.getMimeDecoder().decode(element.asText())));
            } catch (IllegalArgumentException e) {
                throw OipException.badRequest("input element " + i + " is not base64: " + e.getMessage());
            }
        }
        return images;
    }

    private static List<ImageInput> pixels(long[] shape, List<JsonNode> data) {
        if (shape.length != 4 || (shape[3] != 1 && shape[3] != 3) || shape[1] < 1 || shape[2] < 1) {
            throw OipException.badRequest("a UINT8 input has shape [N,H,W,C] with C = 1 (gray) or 3 (RGB)");
        }
        checkCount(shape, data.size());
        int n = (int) shape[0];
        int h = (int) shape[1];
        int w = (int) shape[2];
        int c = (int) shape[3];
        int per = h * w * c;
        List<ImageInput> images = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte[] px = new byte[per];
            for (int j = 0; j < per; j++) {
                JsonNode v = data.get(i * per + j);
                if (!v.isIntegralNumber() || v.asInt() < 0 || v.asInt() > 255) {
                    throw OipException.badRequest("UINT8 element " + (i * per + j) + " is " + v + ", not 0..255");
                }
                px[j] = (byte) v.asInt();
            }
            images.add(ImageInput.pixels(DecodedImage.of(w, h, c, px)));
        }
        return images;
    }

    private static long[] shape(JsonNode shape) {
        if (shape == null || !shape.isArray() || shape.isEmpty()) {
            throw OipException.badRequest("input '" + INPUT + "' needs a 'shape' array");
        }
        long[] dims = new long[shape.size()];
        for (int i = 0; i < dims.length; i++) {
            JsonNode d = shape.get(i);
            if (!d.isIntegralNumber() || d.asLong() < 0 || d.asLong() > Integer.MAX_VALUE) {
                throw OipException.badRequest("shape " + shape + " must hold whole numbers >= 0");
            }
            dims[i] = d.asLong();
        }
        if (dims[0] < 1) {
            throw OipException.badRequest("input '" + INPUT + "' holds no image (shape " + shape + ")");
        }
        return dims;
    }

    private static void checkCount(long[] shape, int elements) {
        long expected = 1;
        try {
            for (long d : shape) {
                expected = Math.multiplyExact(expected, d);
            }
        } catch (ArithmeticException e) {
            throw OipException.badRequest("shape " + java.util.Arrays.toString(shape) + " is too large");
        }
        if (expected != elements) {
            throw OipException.badRequest("shape " + java.util.Arrays.toString(shape) + " needs " + expected
                    + " data elements, got " + elements);
        }
    }

    private static void flatten(JsonNode node, List<JsonNode> into) {
        for (JsonNode element : node) {
            if (element.isArray()) {
                flatten(element, into);
            } else {
                into.add(element);
            }
        }
    }
}
