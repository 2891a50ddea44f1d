package io.transferlab.systemtest;

import static io.transferlab.systemtest.Case.statuses;
import static io.transferlab.systemtest.GatewayCases.concat;
import static io.transferlab.systemtest.GatewayCases.garbage;
import static io.transferlab.systemtest.GatewayCases.utf8;

import io.transferlab.systemtest.Case.Service;
import io.transferlab.systemtest.RawHttp.Body;
import io.transferlab.systemtest.RawHttp.Request;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/** Bad input for the inference service's Open Inference Protocol API (docs/inference.md), with its own key. */
final class InferenceCases {

    /** The model the suite trains first: cases that get past parsing meet a model that exists. */
    static final String MODEL = "badinput-baseline";
    static final String INFER = "/v2/models/" + MODEL + "/infer";

    private static final Set<Integer> BAD = statuses(400);

    private InferenceCases() {
    }

    static List<Case> all() {
        List<Case> all = new ArrayList<>();
        all.addAll(authentication());
        all.addAll(malformedJson());
        all.addAll(tensors());
        all.addAll(images());
        all.addAll(models());
        all.addAll(transport());
        return all;
    }

    static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** An inference request for {@code images} encoded images given as JSON strings (already quoted). */
    static String bytesRequest(String shape, String data) {
        return "{\"id\": \"bad\", \"inputs\": [{\"name\": \"image\", \"datatype\": \"BYTES\", \"shape\": " + shape
                + ", \"data\": " + data + "}]}";
    }

    /** {@code count} copies of {@code image}, as an inference request of one BYTES tensor. */
    static String images(int count, byte[] image) {
        String one = "\"" + b64(image) + "\"";
        return bytesRequest("[" + count + "]", "[" + String.join(", ", Collections.nCopies(count, one)) + "]");
    }

    static Request infer(String path, byte[] body) {
        return RawHttp.request("POST", path).header("Content-Type", "application/json").body(body);
    }

    private static Case keyed(String group, String name, Set<Integer> allowed, Supplier<Request> request) {
        return Case.of(group, Service.INFERENCE, name, allowed, () -> request.get().bearer(Stack.INFERENCE_KEY));
    }

    /** The OIP endpoints behind keys, without a valid key: 401. */
    static List<Case> authentication() {
        Map<String, Supplier<Request>> endpoints = new LinkedHashMap<>();
        endpoints.put("GET /v2", () -> RawHttp.request("GET", "/v2"));
        endpoints.put("GET /v2/models/{name}", () -> RawHttp.request("GET", "/v2/models/" + MODEL));
        endpoints.put("GET /v2/models/{name}/ready", () -> RawHttp.request("GET", "/v2/models/" + MODEL + "/ready"));
        endpoints.put("POST /v2/models/{name}/infer", () -> infer(INFER, utf8(images(1, Fixtures.png(28, 28)))));
        List<Case> cases = new ArrayList<>();
        Map<String, String> auth = Hostile.authorizations(Stack.INFERENCE_KEY);
        auth.put("the gateway's key", "Bearer " + Stack.API_KEY);
        endpoints.forEach((name, request) -> auth.forEach((what, header) -> cases.add(Case.of("inference auth",
                Service.INFERENCE, name + " with " + what, statuses(401), () -> {
                    Request r = request.get();
                    return header == null ? r : r.header("Authorization", header);
                }))));
        return cases;
    }

    static List<Case> malformedJson() {
        Map<String, byte[]> bodies = new LinkedHashMap<>();
        bodies.put("empty body", new byte[0]);
        bodies.put("lone brace", utf8("{"));
        bodies.put("array", utf8("[]"));
        bodies.put("string", utf8("\"image\""));
        bodies.put("null", utf8("null"));
        bodies.put("truncated", utf8(images(1, Fixtures.png(28, 28)).substring(0, 60)));
        bodies.put("non-UTF-8 bytes", concat(utf8("{\"inputs\": \""), new byte[] {(byte) 0xff, (byte) 0xfe},
                utf8("\"}")));
        bodies.put("deep nesting", utf8("{\"inputs\": " + "[".repeat(100_000) + "]".repeat(100_000) + "}"));
        bodies.put("5000-digit shape", utf8(bytesRequest("[1" + "0".repeat(5000) + "]", "[\"\"]")));
        String png = "\"" + b64(Fixtures.png(28, 28)) + "\"";
        bodies.put("duplicate inputs, last invalid", utf8("{\"inputs\": [" + tensor("image", "BYTES", "[1]", "["
                + png + "]") + "], \"inputs\": {}}"));
        bodies.put("binary garbage", garbage(4096));
        bodies.put("comment", utf8("{/* x */ \"inputs\": []}"));
        List<Case> cases = new ArrayList<>();
        bodies.forEach((what, body) -> cases.add(keyed("inference json", what, BAD, () -> infer(INFER, body))));
        return cases;
    }

    /** The tensor contract: one input 'image', BYTES [N] or UINT8 [N,H,W,C], parameters and outputs. */
    static List<Case> tensors() {
        String png = "\"" + b64(Fixtures.png(28, 28)) + "\"";
        Map<String, String> bodies = new LinkedHashMap<>();
        bodies.put("no inputs", "{\"id\": \"x\"}");
        bodies.put("inputs an object", "{\"inputs\": {}}");
        bodies.put("inputs empty", "{\"inputs\": []}");
        bodies.put("two inputs", "{\"inputs\": [" + tensor("image", "BYTES", "[1]", "[" + png + "]") + ", "
                + tensor("image", "BYTES", "[1]", "[" + png + "]") + "]}");
        bodies.put("input named img", "{\"inputs\": [" + tensor("img", "BYTES", "[1]", "[" + png + "]") + "]}");
        bodies.put("input without a name", "{\"inputs\": [{\"datatype\": \"BYTES\", \"shape\": [1], \"data\": ["
                + png + "]}]}");
        bodies.put("no shape", "{\"inputs\": [{\"name\": \"image\", \"datatype\": \"BYTES\", \"data\": [" + png
                + "]}]}");
        for (String shape : List.of("[]", "[-1]", "[\"a\"]", "[0]", "[1.5]", "[4294967296]", "[1, 2, 3]", "5",
                "[1, 2]", "[null]")) {
            bodies.put("BYTES shape " + shape, bytesRequest(shape, "[" + png + "]"));
        }
        for (String datatype : List.of("\"FP32\"", "\"bytes\"", "5", "null", "\"INT64\"")) {
            bodies.put("datatype " + datatype, "{\"inputs\": [{\"name\": \"image\", \"datatype\": " + datatype
                    + ", \"shape\": [1], \"data\": [" + png + "]}]}");
        }
        bodies.put("no data", "{\"inputs\": [{\"name\": \"image\", \"datatype\": \"BYTES\", \"shape\": [1]}]}");
        bodies.put("data a string", bytesRequest("[1]", png));
        bodies.put("data an object", bytesRequest("[1]", "{}"));
        bodies.put("data a number", bytesRequest("[1]", "[5]"));
        bodies.put("data null element", bytesRequest("[1]", "[null]"));
        bodies.put("fewer data than the shape", bytesRequest("[2]", "[" + png + "]"));
        bodies.put("more data than the shape", bytesRequest("[1]", "[" + png + ", " + png + "]"));
        bodies.put("UINT8 with 2 channels", tensorRequest("UINT8", "[1, 2, 2, 2]", zeros(8)));
        bodies.put("UINT8 with 0 rows", tensorRequest("UINT8", "[1, 0, 2, 3]", "[]"));
        bodies.put("UINT8 value 256", tensorRequest("UINT8", "[1, 1, 1, 1]", "[256]"));
        bodies.put("UINT8 value -1", tensorRequest("UINT8", "[1, 1, 1, 1]", "[-1]"));
        bodies.put("UINT8 value a string", tensorRequest("UINT8", "[1, 1, 1, 1]", "[\"a\"]"));
        bodies.put("UINT8 value 1.5", tensorRequest("UINT8", "[1, 1, 1, 1]", "[1.5]"));
        bodies.put("UINT8 shape of 3 dims", tensorRequest("UINT8", "[1, 2, 2]", zeros(4)));
        bodies.put("UINT8 shape whose product overflows", tensorRequest("UINT8",
                "[2147483647, 2147483647, 2147483647, 3]", "[0]"));
        bodies.put("UINT8 count mismatch", tensorRequest("UINT8", "[1, 2, 2, 1]", zeros(3)));
        for (String k : List.of("0", "-1", "\"a\"", "1.5", "99999999999", "[]")) {
            bodies.put("top_k " + k, "{\"parameters\": {\"top_k\": " + k + "}, \"inputs\": ["
                    + tensor("image", "BYTES", "[1]", "[" + png + "]") + "]}");
        }
        for (String outputs : List.of("\"labels\"", "[{\"name\": \"nope\"}]", "[{}]", "[5]", "{}")) {
            bodies.put("outputs " + outputs, "{\"outputs\": " + outputs + ", \"inputs\": ["
                    + tensor("image", "BYTES", "[1]", "[" + png + "]") + "]}");
        }
        bodies.put("17 images (over 16 per request)", images(17, Fixtures.png(28, 28)));
        bodies.put("a million images declared", bytesRequest("[1000000]", "[" + png + "]"));
        List<Case> cases = new ArrayList<>();
        bodies.forEach((what, body) -> cases.add(keyed("inference tensor", what, BAD, () -> infer(INFER, utf8(body)))));
        return cases;
    }

    private static String tensor(String name, String datatype, String shape, String data) {
        return "{\"name\": \"" + name + "\", \"datatype\": \"" + datatype + "\", \"shape\": " + shape + ", \"data\": "
                + data + "}";
    }

    private static String tensorRequest(String datatype, String shape, String data) {
        return "{\"inputs\": [" + tensor("image", datatype, shape, data) + "]}";
    }

    private static String zeros(int n) {
        return "[" + String.join(", ", Collections.nCopies(n, "0")) + "]";
    }

    /** Bytes that are not base64, or base64 of what is no usable image. */
    static List<Case> images() {
        Map<String, Supplier<String>> bodies = new LinkedHashMap<>();
        bodies.put("not base64", () -> bytesRequest("[1]", "[\"!!!not base64!!!\"]"));
        bodies.put("padding only", () -> bytesRequest("[1]", "[\"====\"]"));
        bodies.put("empty string", () -> bytesRequest("[1]", "[\"\"]"));
        bodies.put("base64 of garbage", () -> images(1, garbage(4096)));
        bodies.put("base64 of a PNG cut short", () -> images(1, Fixtures.truncatedPng(20)));
        bodies.put("base64 of a PNG signature and zeros", () -> images(1, Fixtures.pngSignatureThen(4096)));
        bodies.put("base64 of a GIF", () -> images(1, utf8("GIF89a\u0001\u0000\u0001\u0000")));
        bodies.put("base64 of a 8200x8 PNG", () -> images(1, Fixtures.png(8200, 8)));
        bodies.put("base64 of a 7000x7000 PNG (over 40 M pixels)", () -> images(1, Fixtures.png(7000, 7000)));
        bodies.put("eight 6000x6000 PNGs (decoding past the byte budget)", () -> images(8, Fixtures.png(6000, 6000)));
        bodies.put("UINT8 image of 9000x1", () -> tensorRequest("UINT8", "[1, 1, 9000, 1]", zeros(9000)));
        List<Case> cases = new ArrayList<>();
        bodies.forEach((what, body) -> cases.add(keyed("inference image", what, BAD,
                () -> infer(INFER, utf8(body.get())))));
        return cases;
    }

    /** Unknown and hostile model names in every path that has one. */
    static List<Case> models() {
        List<Case> cases = new ArrayList<>();
        byte[] one = utf8(images(1, Fixtures.png(28, 28)));
        cases.add(keyed("inference model", "infer with an unknown model", statuses(404),
                () -> infer("/v2/models/no-such-model/infer", one)));
        cases.add(keyed("inference model", "metadata of an unknown model", statuses(404),
                () -> RawHttp.request("GET", "/v2/models/no-such-model")));
        cases.add(keyed("inference model", "readiness of an unknown model", statuses(404),
                () -> RawHttp.request("GET", "/v2/models/no-such-model/ready")));
        Hostile.ids().forEach((what, id) -> {
            boolean invalid = Hostile.invalidHttp(what);
            cases.add(keyed("inference model", "infer with model {" + what + "}", Hostile.idStatuses(),
                    () -> RawHttp.request("POST", Hostile.target("/v2/models/", id, "/infer"))
                            .header("Content-Type", "application/json").body(one)).invalidHttpIf(invalid));
            // /v2/models/.. is /v2 once its dot segment is resolved: the server metadata, for a valid key
            Set<Integer> metadata = new HashSet<>(Hostile.idStatuses());
            if (Hostile.dotSegment(what)) {
                metadata.add(200);
            }
            cases.add(keyed("inference model", "metadata of model {" + what + "}", metadata,
                    () -> RawHttp.request("GET", Hostile.target("/v2/models/", id, ""))).invalidHttpIf(invalid));
            cases.add(keyed("inference model", "readiness of model {" + what + "}", Hostile.idStatuses(),
                    () -> RawHttp.request("GET", Hostile.target("/v2/models/", id, "/ready"))).invalidHttpIf(invalid));
        });
        return cases;
    }

    /** Methods, media types and sizes. */
    static List<Case> transport() {
        List<Case> cases = new ArrayList<>();
        byte[] one = utf8(images(1, Fixtures.png(28, 28)));
        cases.add(keyed("inference transport", "GET on infer", statuses(405), () -> RawHttp.request("GET", INFER)));
        cases.add(keyed("inference transport", "PUT on infer", statuses(405),
                () -> RawHttp.request("PUT", INFER).header("Content-Type", "application/json").body(one)));
        cases.add(keyed("inference transport", "Content-Type garbage", statuses(415),
                () -> RawHttp.request("POST", INFER).header("Content-Type", "garbage").body(one)));
        cases.add(keyed("inference transport", "Content-Type a wildcard", statuses(415),
                () -> RawHttp.request("POST", INFER).header("Content-Type", "*/*").body(one)));
        cases.add(keyed("inference transport", "body of 40 MB, declared", statuses(413),
                () -> RawHttp.request("POST", INFER).header("Content-Type", "application/json")
                        .body(Body.generated(utf8("{\"inputs\": \""), (byte) 'A', 40L << 20, false))));
        cases.add(keyed("inference transport", "body of 40 MB, chunked", statuses(413),
                () -> RawHttp.request("POST", INFER).header("Content-Type", "application/json")
                        .body(Body.generated(utf8("{\"inputs\": \""), (byte) 'A', 40L << 20, true))));
        cases.add(keyed("inference transport", "chunked, cut off mid-chunk", BAD,
                () -> RawHttp.request("POST", INFER).header("Content-Type", "application/json")
                        .header("Transfer-Encoding", "chunked").body(Body.cutOff(utf8("400\r\n{\"inputs\": "))))
                .invalidHttpIf(true));
        cases.add(keyed("inference transport", "declaring 10 GB, sending nothing", statuses(413),
                () -> RawHttp.request("POST", INFER).header("Content-Type", "application/json")
                        .header("Content-Length", "10000000000")));
        return cases;
    }
}
