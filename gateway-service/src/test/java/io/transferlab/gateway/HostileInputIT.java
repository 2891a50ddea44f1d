package io.transferlab.gateway;

import static io.transferlab.gateway.TestKeys.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.common.http.TestHTTPResource;
import java.net.URI;
import io.transferlab.gateway.standin.TunerStandIn;
import io.transferlab.testsupport.KafkaResource;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The rows of the hostile-input table (issue 13): each answers a 4xx problem+json, never a 5xx. */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(TunerStandIn.class)
class HostileInputIT {

    private static final String PROBLEM = "application/problem+json";

    @TestHTTPResource("/")
    URI base;

    private RawHttp.Answer raw(String method, String path, String type, byte[] body) {
        return RawHttp.send(base, method, path, type, body, TestKeys.ALL);
    }

    private static void problem(RawHttp.Answer a, int... statuses) {
        assertThat(a.status()).as(a.body()).isIn(java.util.Arrays.stream(statuses).boxed().toArray());
        assertThat(a.contentType()).as(a.body()).startsWith(PROBLEM);
    }

    @Test
    void refusesAGarbageContentTypeWith415() {
        problem(raw("POST", "api/v1/classifications", ";;==garbage", TestImages.jpeg(32, 32)), 415);
        problem(raw("POST", "api/v1/trainings", "nonsense", "{}".getBytes(StandardCharsets.UTF_8)), 415);
    }

    @Test
    void refusesBrokenMultipartWith400() {
        byte[] jpeg = TestImages.jpeg(32, 32);
        String head = "--abc\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.jpg\"\r\n"
                + "Content-Type: image/jpeg\r\n\r\n";
        byte[][] bodies = {
            concat(head.replace("--abc", "--xyz"), jpeg, "\r\n--xyz--\r\n"), // boundary mismatch
            concat(head, jpeg, ""), // no closing boundary
            "garbage garbage garbage".getBytes(StandardCharsets.UTF_8),
            head.getBytes(StandardCharsets.UTF_8), // headers only
        };
        for (byte[] body : bodies) {
            problem(raw("POST", "api/v1/classifications", "multipart/form-data; boundary=abc", body), 400);
        }
    }

    @Test
    void refusesFiveThousandFormFields() {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            body.append("--abc\r\nContent-Disposition: form-data; name=\"f").append(i).append("\"\r\n\r\nx\r\n");
        }
        body.append("--abc--\r\n");
        problem(raw("POST", "api/v1/classifications", "multipart/form-data; boundary=abc",
                body.toString().getBytes(StandardCharsets.UTF_8)), 400, 413);
    }

    @Test
    void refusesHostileIdsBeforeAskingTheTuner() {
        for (String path : new String[] {"trainings", "tunings", "models"}) {
            problem(raw("GET", "api/v1/" + path + "/abc%00def", null, null), 400);
            as(TestKeys.ALL).get("/api/v1/" + path + "/" + "x".repeat(300)).then().statusCode(400)
                    .contentType(startsWith(PROBLEM));
        }
    }

    @Test
    void answers404ForTheEventsOfAnUnknownRunOrStudy() {
        problem(raw("GET", "api/v1/trainings/run-20990101-000000-0badf00d/events", null, null), 404);
        problem(raw("GET", "api/v1/tunings/study-20990101-000000-0badf00d/events", null, null), 404);
    }

    @Test
    void refusesAJsonBodyOverTheLimitBeforeParsingIt() {
        String big = "{\"spec\":{\"name\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}}";
        as(TestKeys.ALL).contentType("application/json").body(big).post("/api/v1/trainings").then().statusCode(413)
                .contentType(startsWith(PROBLEM)).body("detail", containsString("JSON"));
        as(TestKeys.ALL).contentType("application/json").body(big).post("/api/v1/tunings").then().statusCode(413)
                .contentType(startsWith(PROBLEM));
    }

    @Test
    void aTuningLocationCanBeReadAtOnce() {
        String body = "{\"baseSpec\":{\"dataset\":\"mnist\",\"epochs\":1},\"grid\":{\"dropout\":[0.2,0.4]},"
                + "\"maxParallel\":1}";
        String location = as(TestKeys.ALL).contentType("application/json").body(body).post("/api/v1/tunings")
                .then().statusCode(202).extract().header("Location");
        as(TestKeys.ALL).get(location).then().statusCode(200).body("status", equalTo("QUEUED"))
                .body("trialCount", equalTo(2));
    }

    @Test
    void refusesAnImageOverThePixelBudgetFromItsHeader() {
        // 8000 x 8000 is within the side limit but 64 megapixels: refused before anything is decoded
        as(TestKeys.ALL).contentType("image/png").body(TestImages.pngHeaderOnly(8000, 8000))
                .post("/api/v1/classifications").then().statusCode(422).contentType(startsWith(PROBLEM))
                .body("detail", containsString("pixels"));
    }

    @Test
    void anAsyncClassificationWithAnUnknownModelIs404() {
        as(TestKeys.ALL).contentType("image/jpeg").header("Prefer", "respond-async").body(TestImages.jpeg(32, 32))
                .queryParam("model", "no-such-model").post("/api/v1/classifications").then().statusCode(404)
                .contentType(startsWith(PROBLEM)).body("detail", containsString("no-such-model"));
    }

    private static byte[] concat(String a, byte[] b, String c) {
        byte[] x = a.getBytes(StandardCharsets.ISO_8859_1);
        byte[] z = c.getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[x.length + b.length + z.length];
        System.arraycopy(x, 0, out, 0, x.length);
        System.arraycopy(b, 0, out, x.length, b.length);
        System.arraycopy(z, 0, out, x.length + b.length, z.length);
        return out;
    }
}
