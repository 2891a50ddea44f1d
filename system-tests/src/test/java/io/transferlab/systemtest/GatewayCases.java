package io.transferlab.systemtest;

import static io.transferlab.systemtest.Case.statuses;

import io.transferlab.systemtest.Case.Service;
import io.transferlab.systemtest.Fixtures.Entry;
import io.transferlab.systemtest.Fixtures.Multipart;
import io.transferlab.systemtest.RawHttp.Body;
import io.transferlab.systemtest.RawHttp.Request;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/** Bad input for the gateway's public API (docs/api.md), one table per kind of mistake. */
final class GatewayCases {

    static final String API = "/api/v1";
    /** Ids of the right shape that nobody issued. */
    static final String UNKNOWN_RUN = "run-20200101-000000-00000000";
    static final String UNKNOWN_STUDY = "study-20200101-000000-00000000";
    static final String UNKNOWN_MODEL = "no-such-model";
    static final String UNKNOWN_DATASET = "ds-20200101-000000-00000000";
    static final String UNKNOWN_CLASSIFICATION = "req-20200101-000000-00000000";

    private static final Set<Integer> BAD = statuses(400);

    private GatewayCases() {
    }

    static List<Case> all() {
        List<Case> all = new ArrayList<>();
        all.addAll(authentication());
        all.addAll(roles());
        all.addAll(hostileIds());
        all.addAll(unknownIds());
        all.addAll(malformedJson());
        all.addAll(trainingSpecs());
        all.addAll(trainingBodies());
        all.addAll(tuningRequests());
        all.addAll(mediaTypes());
        all.addAll(multipart());
        all.addAll(oversized());
        all.addAll(archives());
        all.addAll(queryParameters());
        return all;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Endpoints and bodies
    // ---------------------------------------------------------------------------------------------------------

    /** Every endpoint of the API with a request that would be fine but for its key. */
    private record Endpoint(String method, String path, String role, Supplier<Request> request) {

        String name() {
            return method + " " + path;
        }
    }

    private static List<Endpoint> endpoints() {
        List<Endpoint> e = new ArrayList<>();
        e.add(get("/trainings", null));
        e.add(get("/trainings/" + UNKNOWN_RUN, null));
        e.add(get("/trainings/" + UNKNOWN_RUN + "/events", null));
        e.add(new Endpoint("POST", "/trainings", "train", () -> json("POST", "/trainings", training(spec()))));
        e.add(new Endpoint("DELETE", "/trainings/" + UNKNOWN_RUN, "train",
                () -> RawHttp.request("DELETE", API + "/trainings/" + UNKNOWN_RUN)));
        e.add(get("/tunings", null));
        e.add(get("/tunings/" + UNKNOWN_STUDY, null));
        e.add(get("/tunings/" + UNKNOWN_STUDY + "/events", null));
        e.add(new Endpoint("POST", "/tunings", "train", () -> json("POST", "/tunings", tuning(spec(), GRID))));
        e.add(new Endpoint("DELETE", "/tunings/" + UNKNOWN_STUDY, "train",
                () -> RawHttp.request("DELETE", API + "/tunings/" + UNKNOWN_STUDY)));
        e.add(get("/models", null));
        e.add(get("/models/" + UNKNOWN_MODEL, null));
        e.add(new Endpoint("POST", "/classifications (raw)", "classify", () -> image(Fixtures.png(32, 32))));
        e.add(new Endpoint("POST", "/classifications (multipart)", "classify", () -> {
            Multipart m = new Multipart("b0undary").file("image", "x.png", "image/png", Fixtures.png(32, 32));
            return multipartTo("/classifications", m.contentType(), m.close());
        }));
        e.add(get("/classifications/" + UNKNOWN_CLASSIFICATION, "classify"));
        e.add(get("/datasets", null));
        e.add(get("/datasets/" + UNKNOWN_DATASET, null));
        e.add(new Endpoint("POST", "/datasets (raw)", "train", () -> zipUpload(Fixtures.zip(Fixtures.twoClasses()))));
        e.add(new Endpoint("POST", "/datasets (multipart)", "train", () -> {
            Multipart m = new Multipart("b0undary").file("file", "set.zip", "application/zip",
                    Fixtures.zip(Fixtures.twoClasses()));
            return multipartTo("/datasets", m.contentType(), m.close());
        }));
        e.add(new Endpoint("DELETE", "/datasets/" + UNKNOWN_DATASET, "train",
                () -> RawHttp.request("DELETE", API + "/datasets/" + UNKNOWN_DATASET)));
        return e;
    }

    private static Endpoint get(String path, String role) {
        return new Endpoint("GET", path, role, () -> RawHttp.request("GET", API + path));
    }

    /** A small valid spec: any run a case starts by mistake is cheap (and the suite cancels it). */
    static final Map<String, String> BASE_SPEC = baseSpec();
    static final String GRID = "\"grid\": {\"denseUnits\": [32, 64]}";

    private static Map<String, String> baseSpec() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("dataset", "\"mnist\"");
        s.put("trainSize", "50");
        s.put("testSize", "20");
        s.put("epochs", "1");
        s.put("batchSize", "16");
        return s;
    }

    static String spec() {
        return object(BASE_SPEC);
    }

    /** The base spec with one field set to raw JSON ({@code null}: left out). */
    static String spec(String field, String raw) {
        Map<String, String> s = new LinkedHashMap<>(BASE_SPEC);
        if (raw == null) {
            s.remove(field);
        } else {
            s.put(field, raw);
        }
        return object(s);
    }

    static String object(Map<String, String> fields) {
        return fields.entrySet().stream().map(e -> "\"" + e.getKey() + "\": " + e.getValue())
                .collect(Collectors.joining(", ", "{", "}"));
    }

    static String training(String spec) {
        return "{\"spec\": " + spec + ", \"modelId\": \"badinput-stray\"}";
    }

    /** A tuning body: name, base spec, the given search members and one trial at a time. */
    static String tuning(String baseSpec, String search) {
        return "{\"name\": \"bad input\", \"baseSpec\": " + baseSpec + (search.isEmpty() ? "" : ", " + search)
                + ", \"maxParallel\": 1}";
    }

    static Request json(String method, String path, String body) {
        return RawHttp.request(method, API + path).header("Content-Type", "application/json").body(body);
    }

    static Request image(byte[] bytes) {
        return RawHttp.request("POST", API + "/classifications").header("Content-Type", "image/png").body(bytes);
    }

    static Request zipUpload(byte[] zip) {
        return RawHttp.request("POST", API + "/datasets?name=bad-input").header("Content-Type", "application/zip")
                .body(zip);
    }

    static Request multipartTo(String path, String contentType, byte[] body) {
        return RawHttp.request("POST", API + path).header("Content-Type", contentType).body(body);
    }

    private static Case gateway(String group, String name, Set<Integer> allowed, Supplier<Request> request) {
        return Case.of(group, Service.GATEWAY, name, allowed, request);
    }

    /** With the suite's key (both roles). */
    private static Case keyed(String group, String name, Set<Integer> allowed, Supplier<Request> request) {
        return gateway(group, name, allowed, () -> request.get().bearer(Stack.API_KEY));
    }

    // ---------------------------------------------------------------------------------------------------------
    // The tables
    // ---------------------------------------------------------------------------------------------------------

    /** Every endpoint, every way of not having a valid key: 401 problem+json with a challenge. */
    static List<Case> authentication() {
        List<Case> cases = new ArrayList<>();
        for (Endpoint e : endpoints()) {
            Hostile.authorizations(Stack.API_KEY).forEach((what, header) -> cases.add(gateway("gateway auth",
                    e.name() + " with " + what, statuses(401), () -> {
                        Request r = e.request().get();
                        return header == null ? r : r.header("Authorization", header);
                    })));
        }
        return cases;
    }

    /** A valid key without the role the endpoint needs: 403. */
    static List<Case> roles() {
        List<Case> cases = new ArrayList<>();
        for (Endpoint e : endpoints()) {
            if (e.role() == null) {
                continue;
            }
            String key = e.role().equals("train") ? Stack.CLASSIFY_ONLY_KEY : Stack.TRAIN_ONLY_KEY;
            String keyName = e.role().equals("train") ? "classify-only key" : "train-only key";
            cases.add(gateway("gateway role", e.name() + " with a " + keyName, statuses(403),
                    () -> e.request().get().bearer(key)));
        }
        return cases;
    }

    /** Every path with an id, every hostile id: refused (400) or matching no route (404), never passed on. */
    static List<Case> hostileIds() {
        List<String[]> paths = List.of(
                new String[] {"GET", "/trainings/", ""}, new String[] {"GET", "/trainings/", "/events"},
                new String[] {"DELETE", "/trainings/", ""}, new String[] {"GET", "/tunings/", ""},
                new String[] {"GET", "/tunings/", "/events"}, new String[] {"DELETE", "/tunings/", ""},
                new String[] {"GET", "/models/", ""}, new String[] {"GET", "/classifications/", ""},
                new String[] {"GET", "/datasets/", ""}, new String[] {"DELETE", "/datasets/", ""});
        List<Case> cases = new ArrayList<>();
        for (String[] p : paths) {
            Hostile.ids().forEach((what, id) -> cases.add(keyed("gateway id", p[0] + " " + p[1] + "{" + what + "}"
                    + p[2], Hostile.idStatuses(), () -> RawHttp.request(p[0], Hostile.target(API + p[1], id, p[2])))
                    .invalidHttpIf(Hostile.invalidHttp(what))));
        }
        return cases;
    }

    /** Ids of the right shape that nobody issued: 404 (docs/api.md "Unknown ids"). */
    static List<Case> unknownIds() {
        Map<String, String> paths = new LinkedHashMap<>();
        paths.put("GET /trainings/{unknown}", "/trainings/" + UNKNOWN_RUN);
        paths.put("GET /trainings/{unknown}/events", "/trainings/" + UNKNOWN_RUN + "/events");
        paths.put("DELETE /trainings/{unknown}", "/trainings/" + UNKNOWN_RUN);
        paths.put("GET /tunings/{unknown}", "/tunings/" + UNKNOWN_STUDY);
        paths.put("GET /tunings/{unknown}/events", "/tunings/" + UNKNOWN_STUDY + "/events");
        paths.put("DELETE /tunings/{unknown}", "/tunings/" + UNKNOWN_STUDY);
        paths.put("GET /models/{unknown}", "/models/" + UNKNOWN_MODEL);
        paths.put("GET /classifications/{unknown}", "/classifications/" + UNKNOWN_CLASSIFICATION);
        paths.put("GET /datasets/{unknown}", "/datasets/" + UNKNOWN_DATASET);
        paths.put("DELETE /datasets/{unknown}", "/datasets/" + UNKNOWN_DATASET);
        List<Case> cases = new ArrayList<>();
        paths.forEach((name, path) -> cases.add(keyed("gateway unknown id", name, statuses(404),
                () -> RawHttp.request(name.substring(0, name.indexOf(' ')), API + path))));
        return cases;
    }

    /** JSON that is not JSON, or not the JSON asked for, at both JSON endpoints: 400. */
    static List<Case> malformedJson() {
        String valid = training(spec());
        Map<String, byte[]> bodies = new LinkedHashMap<>();
        bodies.put("empty body", new byte[0]);
        bodies.put("whitespace only", "  \r\n\t ".getBytes(StandardCharsets.UTF_8));
        bodies.put("lone brace", utf8("{"));
        bodies.put("truncated", utf8(valid.substring(0, valid.length() / 2)));
        bodies.put("truncated after a key", utf8("{\"spec\""));
        bodies.put("array", utf8("[]"));
        bodies.put("string", utf8("\"spec\""));
        bodies.put("number", utf8("42"));
        bodies.put("null", utf8("null"));
        bodies.put("boolean", utf8("true"));
        bodies.put("trailing comma", utf8("{\"spec\": {\"dataset\": \"mnist\",}}"));
        bodies.put("single quotes", utf8("{'spec': {'dataset': 'mnist'}}"));
        bodies.put("comment", utf8("{\"spec\": /* hi */ {\"dataset\": \"mnist\"}}"));
        bodies.put("unquoted key", utf8("{spec: {}}"));
        bodies.put("trailing garbage", utf8(valid + " xyz"));
        bodies.put("two documents", utf8(valid + valid));
        bodies.put("deep array nesting", utf8("{\"spec\": {\"classes\": " + "[".repeat(20_000) + "]".repeat(20_000)
                + "}}"));
        bodies.put("deep object nesting", utf8("{\"spec\": " + "{\"a\": ".repeat(20_000) + "1" + "}".repeat(20_000)
                + "}"));
        bodies.put("5000-digit number", utf8(training(spec("epochs", "1" + "0".repeat(5000)))));
        bodies.put("huge exponent", utf8(training(spec("dropout", "1e999999"))));
        bodies.put("int overflow", utf8(training(spec("trainSize", "99999999999999999999"))));
        bodies.put("long overflow", utf8(training(spec("seed", "-99999999999999999999999"))));
        bodies.put("NaN literal", utf8(training(spec("dropout", "NaN"))));
        bodies.put("duplicate keys, last invalid", utf8("{\"spec\": " + spec() + ", \"spec\": {\"dataset\": 1}}"));
        bodies.put("duplicate keys in spec", utf8(training(spec().replace("\"epochs\": 1", "\"epochs\": 1, "
                + "\"epochs\": 0"))));
        bodies.put("non-UTF-8 bytes", concat(utf8("{\"spec\": {\"dataset\": \"mn"), new byte[] {(byte) 0xff,
                (byte) 0xfe}, utf8("ist\"}}")));
        bodies.put("UTF-8 encoded surrogate", concat(utf8("{\"modelId\": \"a"), new byte[] {(byte) 0xed,
                (byte) 0xa0, (byte) 0x80}, utf8("\", \"spec\": " + spec() + "}")));
        bodies.put("raw NUL in a string", concat(utf8("{\"spec\": {\"dataset\": \"mnist"), new byte[] {0},
                utf8("\"}}")));
        bodies.put("escaped NUL in a string", utf8(training(spec("dataset", "\"mnist\\u0000\""))));
        bodies.put("lone surrogate escape", utf8("{\"spec\": " + spec() + ", \"modelId\": \"\\ud800\"}"));
        bodies.put("binary garbage", garbage(2048));
        bodies.put("UTF-16 with BOM", concat(new byte[] {(byte) 0xfe, (byte) 0xff},
                "{\"spec\": {\"dataset\": \"nope\"}}".getBytes(StandardCharsets.UTF_16BE)));
        bodies.put("900 KB model id", utf8("{\"spec\": " + spec() + ", \"modelId\": \"" + "m".repeat(900_000)
                + "\"}"));
        List<Case> cases = new ArrayList<>();
        for (String path : List.of("/trainings", "/tunings")) {
            bodies.forEach((what, body) -> cases.add(keyed("gateway json", "POST " + path + " " + what, BAD,
                    () -> RawHttp.request("POST", API + path).header("Content-Type", "application/json")
                            .body(body))));
        }
        return cases;
    }

    /** Every field of a training spec with a wrong type, a value out of range or not among the allowed ones. */
    static List<Case> trainingSpecs() {
        Map<String, List<String>> wrong = new LinkedHashMap<>();
        wrong.put("dataset", List.of("5", "[]", "{}", "true", "\"imagenet\"", "\"\"", "\"MNIST\"", "\"dataset:\"",
                "\"dataset:../x\"", "\"dataset:" + "d".repeat(65) + "\"", "\"dataset:" + UNKNOWN_DATASET + "\"",
                "null"));
        wrong.put("classes", List.of("\"0,1\"", "[0]", "[0, 0]", "[-1, 2]", "[0, \"a\"]", "[0, 100001]", "{}",
                "[0, null]"));
        // (a fraction for an integer is truncated, Jackson's default coercion: 1.5 is 1, not a wrong type)
        wrong.put("trainSize", List.of("0", "-1", "10000001", "\"ten\"", "2147483648", "true", "[]"));
        wrong.put("testSize", List.of("-1", "10000001", "\"x\"", "{}"));
        wrong.put("sampling", List.of("\"random\"", "3", "\"\"", "[\"first\"]"));
        wrong.put("imageSize", List.of("7", "1025", "\"big\"", "-224"));
        wrong.put("preprocessing", List.of("\"rgb\"", "[]", "\"\""));
        wrong.put("backbone", List.of("\"resnet101\"", "\"\"", "\"RESNET18\"", "\"torchscript:../x.pt\"",
                "\"torchscript:\"", "\"run:\"", "\"run:../x\"", "42"));
        wrong.put("weights", List.of("\"coco\"", "1", "\"imagenet\""));
        wrong.put("freeze", List.of("\"yes\"", "{}", "[]"));
        wrong.put("pooling", List.of("\"max\"", "0"));
        wrong.put("denseUnits", List.of("-1", "65537", "\"many\""));
        wrong.put("dropout", List.of("-0.1", "1.0", "1.5", "\"high\"", "\"NaN\""));
        wrong.put("optimizer", List.of("\"adagrad\"", "\"\"", "7"));
        wrong.put("learningRate", List.of("0", "-1", "10.1", "\"fast\"", "\"Infinity\""));
        wrong.put("momentum", List.of("-0.5", "1", "\"x\""));
        wrong.put("epochs", List.of("0", "1001", "-5", "\"five\"", "1e3000"));
        wrong.put("batchSize", List.of("0", "4097", "\"x\""));
        wrong.put("validationSplit", List.of("-0.1", "0.95", "\"x\""));
        wrong.put("seed", List.of("\"abc\"", "9223372036854775808", "[]"));
        wrong.put("augmentFlip", List.of("\"maybe\"", "[]"));
        wrong.put("augmentShift", List.of("-0.1", "0.6"));
        wrong.put("earlyStoppingPatience", List.of("-1", "1001"));
        wrong.put("fineTuneEpochs", List.of("-1", "1001", "3"));
        wrong.put("fineTuneLearningRate", List.of("0", "11"));
        wrong.put("batchNorm", List.of("\"auto\"", "\"frozen\""));
        wrong.put("learning_rate", List.of("0.1"));
        wrong.put("extra", List.of("{}"));
        List<Case> cases = new ArrayList<>();
        wrong.forEach((field, values) -> {
            for (String value : values) {
                cases.add(keyed("gateway spec", field + " = " + abbreviate(value), BAD,
                        () -> json("POST", "/trainings", training(spec(field, value)))));
            }
        });
        cases.add(keyed("gateway spec", "classes = 300,000 repeats (just under 1 MB)", BAD,
                () -> json("POST", "/trainings", training(spec("classes", "[" + "0,".repeat(300_000) + "1]")))));
        cases.add(keyed("gateway spec", "trainSize = 1 leaves nothing after the validation split", BAD,
                () -> json("POST", "/trainings", training(spec("trainSize", "1")))));
        return cases;
    }

    /** The training body around the spec. */
    static List<Case> trainingBodies() {
        Map<String, String> bodies = new LinkedHashMap<>();
        bodies.put("no spec", "{\"modelId\": \"m\"}");
        bodies.put("spec null", "{\"spec\": null}");
        bodies.put("spec a string", "{\"spec\": \"mnist\"}");
        bodies.put("spec an array", "{\"spec\": []}");
        bodies.put("spec empty", "{\"spec\": {}}");
        bodies.put("modelId traversal", "{\"spec\": " + spec() + ", \"modelId\": \"../x\"}");
        bodies.put("modelId reserved", "{\"spec\": " + spec() + ", \"modelId\": \"imagenet-mine\"}");
        bodies.put("modelId 65 chars", "{\"spec\": " + spec() + ", \"modelId\": \"" + "m".repeat(65) + "\"}");
        bodies.put("modelId an object", "{\"spec\": " + spec() + ", \"modelId\": {}}");
        bodies.put("unknown member", "{\"spec\": " + spec() + ", \"priority\": 1}");
        List<Case> cases = new ArrayList<>();
        bodies.forEach((what, body) -> cases.add(keyed("gateway training", what, BAD,
                () -> json("POST", "/trainings", body))));
        return cases;
    }

    /** Every member of a tuning request, grid and random search. */
    static List<Case> tuningRequests() {
        String spec = spec();
        Map<String, String> bodies = new LinkedHashMap<>();
        bodies.put("name 201 chars", tuning(spec, GRID).replace("\"bad input\"", "\"" + "n".repeat(201) + "\""));
        bodies.put("name an object", tuning(spec, GRID).replace("\"bad input\"", "{}"));
        bodies.put("maxParallel 0", tuning(spec, GRID).replace("\"maxParallel\": 1", "\"maxParallel\": 0"));
        bodies.put("maxParallel 65", tuning(spec, GRID).replace("\"maxParallel\": 1", "\"maxParallel\": 65"));
        bodies.put("maxParallel a string", tuning(spec, GRID).replace("\"maxParallel\": 1", "\"maxParallel\": \"x\""));
        bodies.put("maxParallel -1", tuning(spec, GRID).replace("\"maxParallel\": 1", "\"maxParallel\": -1"));
        bodies.put("objective metric unknown", tuning(spec, GRID + ", \"objective\": {\"metric\": \"f1\"}"));
        bodies.put("objective direction unknown", tuning(spec, GRID + ", \"objective\": {\"direction\": \"up\"}"));
        bodies.put("objective a string", tuning(spec, GRID + ", \"objective\": \"val_accuracy\""));
        bodies.put("objective unknown member", tuning(spec, GRID + ", \"objective\": {\"goal\": 1}"));
        bodies.put("no baseSpec", "{\"name\": \"x\", " + GRID + "}");
        bodies.put("baseSpec null", tuning("null", GRID));
        bodies.put("baseSpec a string", tuning("\"mnist\"", GRID));
        bodies.put("baseSpec unknown dataset", tuning(spec("dataset", "\"nope\""), GRID));
        bodies.put("baseSpec epochs 0", tuning(spec("epochs", "0"), GRID));
        bodies.put("baseSpec dropout 2", tuning(spec("dropout", "2"), GRID));
        bodies.put("grid and random", tuning(spec, GRID + ", \"random\": {\"trials\": 2, \"space\": "
                + "{\"dropout\": {\"min\": 0, \"max\": 0.5}}}"));
        bodies.put("neither grid nor random", tuning(spec, ""));
        bodies.put("grid empty", tuning(spec, "\"grid\": {}"));
        bodies.put("grid an array", tuning(spec, "\"grid\": [1, 2]"));
        bodies.put("grid a string", tuning(spec, "\"grid\": \"denseUnits\""));
        bodies.put("grid unknown flag", tuning(spec, "\"grid\": {\"nope\": [1]}"));
        bodies.put("grid no values", tuning(spec, "\"grid\": {\"denseUnits\": []}"));
        bodies.put("grid values not a list", tuning(spec, "\"grid\": {\"denseUnits\": 5}"));
        bodies.put("grid value wrong type", tuning(spec, "\"grid\": {\"denseUnits\": [\"many\"]}"));
        bodies.put("grid value object", tuning(spec, "\"grid\": {\"epochs\": [{\"a\": 1}]}"));
        bodies.put("grid value out of range", tuning(spec, "\"grid\": {\"dropout\": [0.1, 1.5]}"));
        bodies.put("grid unknown optimizer", tuning(spec, "\"grid\": {\"optimizer\": [\"adagrad\"]}"));
        bodies.put("grid unknown backbone", tuning(spec, "\"grid\": {\"backbone\": [\"resnet101\"]}"));
        bodies.put("grid hostile dataset", tuning(spec, "\"grid\": {\"dataset\": [\"dataset:../x\"]}"));
        bodies.put("grid 1,600 trials", tuning(spec, "\"grid\": {\"denseUnits\": " + range(1, 40) + ", "
                + "\"epochs\": " + range(1, 40) + "}"));
        bodies.put("random trials 0", tuning(spec, random("0", DROPOUT_RANGE)));
        bodies.put("random trials -1", tuning(spec, random("-1", DROPOUT_RANGE)));
        bodies.put("random trials 100000", tuning(spec, random("100000", DROPOUT_RANGE)));
        bodies.put("random trials a string", tuning(spec, random("\"x\"", DROPOUT_RANGE)));
        bodies.put("random no trials", tuning(spec, "\"random\": {\"space\": " + DROPOUT_RANGE + "}"));
        bodies.put("random space empty", tuning(spec, random("2", "{}")));
        bodies.put("random no space", tuning(spec, "\"random\": {\"trials\": 2}"));
        bodies.put("random unknown flag", tuning(spec, random("2", "{\"nope\": {\"min\": 0, \"max\": 1}}")));
        bodies.put("random neither values nor range", tuning(spec, random("2", "{\"dropout\": {}}")));
        bodies.put("random values and range", tuning(spec, random("2",
                "{\"dropout\": {\"values\": [0.1], \"min\": 0, \"max\": 0.5}}")));
        bodies.put("random min above max", tuning(spec, random("2", "{\"dropout\": {\"min\": 0.5, \"max\": 0.1}}")));
        bodies.put("random log from 0", tuning(spec, random("2",
                "{\"learningRate\": {\"min\": 0, \"max\": 0.1, \"log\": true}}")));
        bodies.put("random range out of bounds", tuning(spec, random("2",
                "{\"dropout\": {\"min\": 0, \"max\": 1.5}}")));
        bodies.put("random value out of range", tuning(spec, random("2", "{\"dropout\": {\"values\": [1.5]}}")));
        bodies.put("random space member a string", tuning(spec, random("2", "{\"dropout\": \"x\"}")));
        bodies.put("random space member null", tuning(spec, random("2", "{\"dropout\": null}")));
        bodies.put("random seed a string", tuning(spec, "\"random\": {\"trials\": 2, \"seed\": \"x\", \"space\": "
                + DROPOUT_RANGE + "}"));
        bodies.put("random an array", tuning(spec, "\"random\": []"));
        List<Case> cases = new ArrayList<>();
        bodies.forEach((what, body) -> cases.add(keyed("gateway tuning", what, BAD,
                () -> json("POST", "/tunings", body))));
        return cases;
    }

    private static final String DROPOUT_RANGE = "{\"dropout\": {\"min\": 0, \"max\": 0.5}}";

    private static String random(String trials, String space) {
        return "\"random\": {\"trials\": " + trials + ", \"seed\": 7, \"space\": " + space + "}";
    }

    private static String range(int from, int to) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = from; i <= to; i++) {
            sb.append(i == from ? "" : ", ").append(i);
        }
        return sb.append(']').toString();
    }

    /** Content types that are not media types, or not the endpoint's; Accept headers it cannot satisfy. */
    static List<Case> mediaTypes() {
        List<Case> cases = new ArrayList<>();
        String body = training(spec("dataset", "\"nope\""));
        Map<String, String> types = new LinkedHashMap<>();
        types.put("garbage", "garbage");
        types.put("semicolons", ";;;");
        types.put("no subtype", "application/");
        types.put("no type", "/json");
        types.put("wildcard", "*/*");
        types.put("text/plain", "text/plain");
        types.put("application/xml", "application/xml");
        types.put("form", "application/x-www-form-urlencoded");
        types.put("multipart without boundary", "multipart/form-data");
        types.put("two types", "application/json, text/plain");
        types.put("unknown charset", "application/json; charset=klingon");
        types.put("broken parameter", "application/json; charset");
        types.put("control characters", "application/json\u0001\u0002");
        types.put("5000 chars", "application/" + "x".repeat(5000));
        types.put("latin-1 bytes", "application/j\u00e9son");
        Set<Integer> refused = statuses(400, 415);
        for (String path : List.of("/trainings", "/tunings")) {
            types.forEach((what, type) -> cases.add(keyed("gateway media type", "POST " + path + " as " + what,
                    refused, () -> RawHttp.request("POST", API + path).header("Content-Type", type).body(body))
                    .invalidHttpIf(what.equals("control characters"))));
            cases.add(keyed("gateway media type", "POST " + path + " without Content-Type", refused,
                    () -> RawHttp.request("POST", API + path).body(body)));
        }
        Map<String, String> imageTypes = new LinkedHashMap<>();
        imageTypes.put("image/gif", "image/gif");
        imageTypes.put("application/json", "application/json");
        imageTypes.put("text/plain", "text/plain");
        imageTypes.put("garbage", "garbage");
        imageTypes.put("wildcard", "image/*");
        for (Map.Entry<String, String> t : imageTypes.entrySet()) {
            cases.add(keyed("gateway media type", "POST /classifications as " + t.getKey(), statuses(415),
                    () -> RawHttp.request("POST", API + "/classifications").header("Content-Type", t.getValue())
                            .body(Fixtures.png(32, 32))));
            cases.add(keyed("gateway media type", "POST /datasets as " + t.getKey(), statuses(415),
                    () -> RawHttp.request("POST", API + "/datasets").header("Content-Type", t.getValue())
                            .body(Fixtures.zip(Fixtures.twoClasses()))));
        }
        // the bytes decide, not the header: what the header claims does not make an image of them
        Map<String, byte[]> notImages = new LinkedHashMap<>();
        notImages.put("garbage labelled image/png", garbage(4096));
        notImages.put("a GIF labelled image/png", utf8("GIF89a\u0001\u0000\u0001\u0000"));
        notImages.put("an empty body labelled image/png", new byte[0]);
        for (Map.Entry<String, byte[]> n : notImages.entrySet()) {
            cases.add(keyed("gateway image", "POST /classifications " + n.getKey(), statuses(400, 415),
                    () -> image(n.getValue())));
        }
        cases.add(keyed("gateway image", "POST /classifications with a PNG header cut short", statuses(400),
                () -> image(Fixtures.truncatedPng(20))));
        cases.add(keyed("gateway image", "POST /classifications with a PNG signature and no header", statuses(400),
                () -> image(Fixtures.pngSignatureThen(64))));
        cases.add(keyed("gateway image", "POST /classifications 4x4 (below 8 px)", statuses(422),
                () -> image(Fixtures.png(4, 4))));
        cases.add(keyed("gateway image", "POST /classifications 8200x8 (side over 8192)", statuses(422),
                () -> image(Fixtures.png(8200, 8))));
        cases.add(keyed("gateway image", "POST /classifications 7000x7000 (over 40 M pixels)", statuses(422),
                () -> image(Fixtures.png(7000, 7000))));
        Map<String, String> accepts = new LinkedHashMap<>();
        accepts.put("application/xml", "application/xml");
        accepts.put("garbage", "garbage");
        accepts.put("text/event-stream", "text/event-stream");
        accepts.put("image/png", "image/png");
        accepts.put("bad quality value", "application/json;q=abc");
        for (Map.Entry<String, String> a : accepts.entrySet()) {
            cases.add(keyed("gateway accept", "GET /trainings accepting " + a.getKey(), statuses(200, 400, 406),
                    () -> RawHttp.request("GET", API + "/trainings").header("Accept", a.getValue())));
            cases.add(keyed("gateway accept", "POST /trainings accepting " + a.getKey(), statuses(400, 406),
                    () -> json("POST", "/trainings", body).header("Accept", a.getValue())));
        }
        return cases;
    }

    /** Multipart bodies that do not parse, or lack the part the endpoint needs. */
    static List<Case> multipart() {
        List<Case> cases = new ArrayList<>();
        for (String[] target : List.of(new String[] {"/classifications", "image", "x.png", "image/png"},
                new String[] {"/datasets", "file", "set.zip", "application/zip"})) {
            String path = target[0];
            String field = target[1];
            Supplier<byte[]> content = () -> path.equals("/datasets") ? Fixtures.zip(Fixtures.twoClasses())
                    : Fixtures.png(32, 32);
            Map<String, Supplier<String[]>> bodies = new LinkedHashMap<>();
            // each: {content type, body as ISO-8859-1 text}
            bodies.put("boundary mismatch", () -> new String[] {"multipart/form-data; boundary=AAA",
                    latin1(new Multipart("BBB").file(field, target[2], target[3], content.get()).close())});
            bodies.put("no closing boundary", () -> new String[] {"multipart/form-data; boundary=b0",
                    latin1(new Multipart("b0").file(field, target[2], target[3], content.get()).open())});
            bodies.put("garbage", () -> new String[] {"multipart/form-data; boundary=b0", latin1(garbage(4096))});
            bodies.put("headers only", () -> new String[] {"multipart/form-data; boundary=b0",
                    "--b0\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\"x\"\r\n"});
            bodies.put("empty body", () -> new String[] {"multipart/form-data; boundary=b0", ""});
            bodies.put("only the closing boundary", () -> new String[] {"multipart/form-data; boundary=b0",
                    "--b0--\r\n"});
            bodies.put("empty boundary", () -> new String[] {"multipart/form-data; boundary=",
                    latin1(new Multipart("").file(field, target[2], target[3], content.get()).close())});
            bodies.put("wrong field name", () -> new String[] {"multipart/form-data; boundary=b0",
                    latin1(new Multipart("b0").file("upload", target[2], target[3], content.get()).close())});
            bodies.put("field as text, not a file", () -> new String[] {"multipart/form-data; boundary=b0",
                    latin1(new Multipart("b0").field(field, "not a file").close())});
            bodies.put("missing part", () -> new String[] {"multipart/form-data; boundary=b0",
                    latin1(new Multipart("b0").field(path.equals("/datasets") ? "name" : "model", "x").close())});
            bodies.put("part without Content-Disposition", () -> new String[] {"multipart/form-data; boundary=b0",
                    latin1(new Multipart("b0").part("Content-Type: " + target[3] + "\r\n", content.get()).close())});
            bodies.put("unterminated part headers", () -> new String[] {"multipart/form-data; boundary=b0",
                    "--b0\r\nContent-Disposition: form-data; name=\"" + field + "\"\r\nContent-Type: x"});
            bodies.put("LF line ends", () -> new String[] {"multipart/form-data; boundary=b0",
                    latin1(new Multipart("b0").file(field, target[2], target[3], content.get()).close())
                            .replace("\r\n", "\n")});
            bodies.put("1,500 fields", () -> {
                Multipart m = new Multipart("b0");
                for (int i = 0; i < 1500; i++) {
                    m.field("f" + i, "v");
                }
                return new String[] {"multipart/form-data; boundary=b0", latin1(m.close())};
            });
            bodies.put("a 4 MB text field", () -> new String[] {"multipart/form-data; boundary=b0",
                    latin1(new Multipart("b0").field(path.equals("/datasets") ? "name" : "model", "v".repeat(4 << 20))
                            .close())});
            Set<Integer> allowed = path.equals("/classifications") ? statuses(400, 413, 415) : statuses(400, 413);
            bodies.forEach((what, made) -> cases.add(keyed("gateway multipart", "POST " + path + " " + what, allowed,
                    () -> {
                        String[] m = made.get();
                        return multipartTo(path, m[0], m[1].getBytes(StandardCharsets.ISO_8859_1));
                    })));
        }
        return cases;
    }

    /** Bodies over their limit, with a declared length (refused before reading) and chunked (counted). */
    static List<Case> oversized() {
        List<Case> cases = new ArrayList<>();
        byte[] jsonHead = utf8("{\"spec\": " + spec() + ", \"modelId\": \"big\"");
        for (String path : List.of("/trainings", "/tunings")) {
            cases.add(keyed("gateway oversized", "POST " + path + " JSON of 2 MB, declared", statuses(413),
                    () -> RawHttp.request("POST", API + path).header("Content-Type", "application/json")
                            .body(Body.generated(jsonHead, (byte) ' ', 2 << 20, false))));
            cases.add(keyed("gateway oversized", "POST " + path + " JSON of 2 MB, chunked", statuses(413),
                    () -> RawHttp.request("POST", API + path).header("Content-Type", "application/json")
                            .body(Body.chunked(concat(jsonHead, utf8(" ".repeat(2 << 20) + "}"))))));
            cases.add(keyed("gateway oversized", "POST " + path + " JSON of 64 MB, chunked", statuses(413),
                    () -> RawHttp.request("POST", API + path).header("Content-Type", "application/json")
                            .body(Body.generated(jsonHead, (byte) ' ', 64L << 20, true))));
            cases.add(keyed("gateway oversized", "POST " + path + " declaring 10 GB, sending nothing", statuses(413),
                    () -> RawHttp.request("POST", API + path).header("Content-Type", "application/json")
                            .header("Content-Length", "10000000000")));
        }
        byte[] pngHead = Fixtures.png(32, 32);
        cases.add(keyed("gateway oversized", "POST /classifications image of 9 MB, declared", statuses(413),
                () -> RawHttp.request("POST", API + "/classifications").header("Content-Type", "image/png")
                        .body(Body.generated(pngHead, (byte) 0, 9L << 20, false))));
        cases.add(keyed("gateway oversized", "POST /classifications image of 9 MB, chunked", statuses(413),
                () -> RawHttp.request("POST", API + "/classifications").header("Content-Type", "image/png")
                        .body(Body.generated(pngHead, (byte) 0, 9L << 20, true))));
        cases.add(keyed("gateway oversized", "POST /classifications declaring 100 GB, sending nothing", statuses(413),
                () -> RawHttp.request("POST", API + "/classifications").header("Content-Type", "image/png")
                        .header("Content-Length", "100000000000")));
        cases.add(keyed("gateway oversized", "POST /classifications multipart with a 9 MB image", statuses(413),
                () -> {
                    byte[] big = concat(pngHead, new byte[9 << 20]);
                    Multipart m = new Multipart("b0").file("image", "x.png", "image/png", big);
                    return multipartTo("/classifications", m.contentType(), m.close());
                }));
        cases.add(keyed("gateway oversized", "POST /datasets archive of 300 MB, declared", statuses(413),
                () -> RawHttp.request("POST", API + "/datasets").header("Content-Type", "application/zip")
                        .body(Body.generated(new byte[] {'P', 'K', 3, 4}, (byte) 0, 300L << 20, false))));
        cases.add(keyed("gateway oversized", "POST /datasets archive of 260 MB, chunked", statuses(413),
                () -> RawHttp.request("POST", API + "/datasets").header("Content-Type", "application/zip")
                        .body(Body.generated(new byte[] {'P', 'K', 3, 4}, (byte) 0, 260L << 20, true))));
        Map<String, String> lengths = new LinkedHashMap<>();
        lengths.put("Content-Length abc", "abc");
        lengths.put("Content-Length -5", "-5");
        lengths.put("two Content-Lengths", "5, 6");
        for (Map.Entry<String, String> l : lengths.entrySet()) {
            cases.add(keyed("gateway framing", "POST /trainings with " + l.getKey(), statuses(400),
                    () -> RawHttp.request("POST", API + "/trainings").header("Content-Type", "application/json")
                            .header("Content-Length", l.getValue()).body(Body.raw(utf8("{}")))).invalidHttpIf(true));
        }
        Map<String, Supplier<Request>> cut = new LinkedHashMap<>();
        cut.put("POST /trainings chunked, cut off mid-chunk", () -> RawHttp.request("POST", API + "/trainings")
                .header("Content-Type", "application/json").header("Transfer-Encoding", "chunked")
                .body(Body.cutOff(utf8("400\r\n{\"spec\": "))));
        cut.put("POST /classifications declaring 10,000 bytes, sending 100", () -> RawHttp.request("POST", API
                + "/classifications").header("Content-Type", "image/png").header("Content-Length", "10000")
                .body(Body.cutOff(java.util.Arrays.copyOf(Fixtures.png(32, 32), 100))));
        cut.put("POST /datasets chunked, cut off mid-chunk", () -> RawHttp.request("POST", API + "/datasets")
                .header("Content-Type", "application/zip").header("Transfer-Encoding", "chunked")
                .body(Body.cutOff(utf8("10000\r\nPK"))));
        cut.forEach((what, request) -> cases.add(keyed("gateway framing", what, BAD, request).invalidHttpIf(true)));
        cases.add(keyed("gateway framing", "POST /trainings with a broken chunk size", statuses(400),
                () -> RawHttp.request("POST", API + "/trainings").header("Content-Type", "application/json")
                        .header("Transfer-Encoding", "chunked").body(Body.raw(utf8("zz\r\n{}\r\n0\r\n\r\n"))))
                .invalidHttpIf(true));
        return cases;
    }

    /** Data set archives: not zips, zip-slip entry names, zip bombs. */
    static List<Case> archives() {
        Map<String, Supplier<byte[]>> zips = new LinkedHashMap<>();
        for (String name : List.of("../evil.png", "cat/../../evil.png", "/etc/evil.png", "C:/evil.png",
                "C:\\evil.png", "cat\\..\\..\\evil.png", "cat/evil\u0000.png", "..", "cat/..", "./../evil.png",
                "")) {
            zips.put("zip-slip entry '" + name.replace("\u0000", "\\0") + "'",
                    () -> Fixtures.zip(Fixtures.with(Fixtures.twoClasses(), Entry.of(name, Fixtures.png(16, 16)))));
        }
        zips.put("entry name not UTF-8", () -> Fixtures.zip(Fixtures.with(Fixtures.twoClasses(),
                Entry.of("cat/\u00ff\u00fe.png", Fixtures.png(16, 16))), StandardCharsets.ISO_8859_1));
        zips.put("not a zip", () -> garbage(4096));
        zips.put("empty body", () -> new byte[0]);
        zips.put("a PNG", () -> Fixtures.png(32, 32));
        zips.put("gzip magic", () -> concat(new byte[] {0x1f, (byte) 0x8b, 8, 0}, garbage(512)));
        zips.put("truncated zip", () -> {
            byte[] zip = Fixtures.zip(Fixtures.twoClasses());
            return java.util.Arrays.copyOf(zip, zip.length / 2);
        });
        zips.put("empty zip", () -> Fixtures.zip(List.of()));
        zips.put("one class", () -> Fixtures.zip(List.of(Entry.of("cat/1.png", Fixtures.png(16, 16)),
                Entry.of("cat/2.png", Fixtures.png(16, 16)))));
        zips.put("no images", () -> Fixtures.zip(List.of(Entry.of("cat/1.txt", utf8("meow")),
                Entry.of("dog/1.txt", utf8("woof")))));
        zips.put("only system files", () -> Fixtures.zip(List.of(Entry.of("__MACOSX/cat/1.png", Fixtures.png(16, 16)),
                Entry.of("dog/.DS_Store", Fixtures.png(16, 16)))));
        zips.put("images out of bounds", () -> Fixtures.zip(List.of(Entry.of("cat/1.png", Fixtures.png(4, 4)),
                Entry.of("dog/1.png", Fixtures.truncatedPng(20)))));
        Map<String, Supplier<byte[]>> bombs = new LinkedHashMap<>();
        bombs.put("an entry inflating to 17 MB", () -> Fixtures.zeroBomb(1, 17 << 20));
        bombs.put("65 entries of 16 MB (over 1 GB in all)", () -> Fixtures.zeroBomb(65, 16 << 20));
        bombs.put("20,001 entries", () -> Fixtures.manyEntries(20_001));
        List<Case> cases = new ArrayList<>();
        zips.forEach((what, zip) -> cases.add(keyed("gateway archive", what, BAD, () -> zipUpload(zip.get()))));
        bombs.forEach((what, zip) -> cases.add(keyed("gateway archive", what, statuses(413),
                () -> zipUpload(zip.get()))));
        cases.add(keyed("gateway archive", "zip-slip entry as multipart", BAD, () -> {
            Multipart m = new Multipart("b0").file("file", "../../set.zip", "application/zip",
                    Fixtures.zip(Fixtures.with(Fixtures.twoClasses(), Entry.of("../evil.png", Fixtures.png(16, 16)))));
            return multipartTo("/datasets", m.contentType(), m.close());
        }));
        cases.add(keyed("gateway archive", "name of 201 characters", BAD, () -> RawHttp.request("POST", API
                + "/datasets?name=" + "n".repeat(201)).header("Content-Type", "application/zip")
                .body(Fixtures.zip(Fixtures.twoClasses()))));
        return cases;
    }

    /** Query parameters of the wrong type or out of range. */
    static List<Case> queryParameters() {
        Map<String, String> lists = new LinkedHashMap<>();
        lists.put("limit=-1", "/trainings?limit=-1");
        lists.put("limit=0", "/trainings?limit=0");
        lists.put("limit=abc", "/trainings?limit=abc");
        lists.put("limit=99999999999", "/trainings?limit=99999999999");
        lists.put("status=NOPE", "/trainings?status=NOPE");
        lists.put("status=%00", "/trainings?status=%00");
        List<Case> cases = new ArrayList<>();
        lists.forEach((what, path) -> cases.add(keyed("gateway query", "GET /trainings?" + what, BAD,
                () -> RawHttp.request("GET", API + path))));
        cases.add(keyed("gateway query", "GET /trainings?studyId=<traversal>", statuses(200, 400),
                () -> RawHttp.request("GET", API + "/trainings?studyId=..%2F..%2Fx")));
        Map<String, String> classify = new LinkedHashMap<>();
        classify.put("topK=0", "topK=0");
        classify.put("topK=-1", "topK=-1");
        classify.put("topK=1001", "topK=1001");
        classify.put("topK=abc", "topK=abc");
        classify.put("topK=1.5", "topK=1.5");
        classify.put("model=../x", "model=..%2Fx");
        classify.put("model of 65 chars", "model=" + "m".repeat(65));
        classify.put("model with NUL", "model=m%00");
        classify.forEach((what, query) -> cases.add(keyed("gateway query", "POST /classifications?" + what, BAD,
                () -> RawHttp.request("POST", API + "/classifications?" + query).header("Content-Type", "image/png")
                        .body(Fixtures.png(32, 32)))));
        return cases;
    }

    // ---------------------------------------------------------------------------------------------------------

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String latin1(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** Reproducible bytes that are no format at all. */
    static byte[] garbage(int size) {
        byte[] b = new byte[size];
        new java.util.Random(size).nextBytes(b);
        b[0] = 'x'; // never a magic number by chance
        return b;
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 37) + "..." : s;
    }
}
