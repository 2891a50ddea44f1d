package io.transferlab.systemtest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.restassured.response.Response;
import io.transferlab.contracts.Topics;
import io.transferlab.contracts.json.Json;
import io.transferlab.contracts.model.ModelPublished;
import io.transferlab.contracts.train.RunStatus;
import io.transferlab.contracts.train.TrainResult;
import io.transferlab.testsupport.KafkaBroker;
import io.transferlab.testsupport.Sql;
import io.transferlab.vision.data.DatasetCatalog;
import io.transferlab.vision.data.LabeledImages;
import io.transferlab.vision.image.DecodedImage;
import io.transferlab.vision.image.ImageDecoder;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The product as a user meets it: four services, Kafka and PostgreSQL as separate processes; a small tuning study
 * on real MNIST driven through the gateway's HTTP API; the runs in SQL; a classification served by the best model;
 * and a plain Kafka consumer outside the system reading the public result topics. The stack is shared with the
 * other system tests (SharedStack); the study is named by its own id, so their runs do not get in the way.
 */
@ExtendWith(SharedStack.class)
class WholeSystemIT {

    private static Stack stack;
    private static KafkaConsumer<String, String> outsider;

    @BeforeAll
    static void startTheSystem() throws Exception {
        stack = SharedStack.stack();
        // Another system reads the public result topics with a principal and rights of its own, granted by the
        // operator (the broker denies everything else; docs/security.md).
        List<String> publicTopics = List.of(Topics.TRAIN_RESULTS, Topics.MODELS, Topics.CLASSIFY_RESULTS);
        List<AclBinding> grants = new ArrayList<>();
        for (String topic : publicTopics) {
            grants.add(allowRead(ResourceType.TOPIC, topic));
        }
        grants.add(allowRead(ResourceType.GROUP, "someone-elses-system"));
        try (Admin admin = Admin.create(new HashMap<String, Object>(stack.kafka.clientConfig(KafkaBroker.ADMIN)))) {
            admin.createAcls(grants).all().get();
        }
        Properties p = new Properties();
        p.putAll(stack.kafka.clientConfig(Stack.OUTSIDER));
        p.putAll(Map.of(ConsumerConfig.GROUP_ID_CONFIG, "someone-elses-system",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()));
        outsider = new KafkaConsumer<>(p);
        outsider.subscribe(publicTopics);
    }

    private static AclBinding allowRead(ResourceType type, String name) {
        return new AclBinding(new ResourcePattern(type, name, PatternType.LITERAL),
                new AccessControlEntry("User:" + Stack.OUTSIDER, "*", AclOperation.READ, AclPermissionType.ALLOW));
    }

    @AfterAll
    static void closeTheOutsider() {
        if (outsider != null) {
            outsider.close();
        }
    }

    private static io.restassured.specification.RequestSpecification api() {
        return given().baseUri(stack.gateway.url()).header("Authorization", "Bearer " + Stack.API_KEY);
    }

    @Test
    void aTuningStudyRunsEndToEndAndItsBestModelClassifies() throws Exception {
        String study = api().contentType("application/json").body("""
                {"name": "system test",
                 "baseSpec": {"dataset": "mnist", "trainSize": 400, "testSize": 200, "backbone": "small-cnn",
                              "epochs": 2, "batchSize": 32, "validationSplit": 0.25, "seed": 7},
                 "grid": {"denseUnits": [32, 64]},
                 "maxParallel": 2}""")
                .post("/api/v1/tunings").then().statusCode(202).extract().path("studyId");

        try {
            await("the study completes").atMost(Duration.ofMinutes(12)).pollInterval(Duration.ofSeconds(3))
                    .until(() -> "COMPLETED".equals(api().get("/api/v1/tunings/" + study).then().extract()
                            .path("status")));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("study " + study + " did not complete; service logs:" + stack.logs(), e);
        }

        Response view = api().get("/api/v1/tunings/" + study).then().statusCode(200).extract().response();
        List<String> runIds = view.path("runs.runId");
        String bestRunId = view.path("bestRunId");
        assertThat(runIds).as(stack.logs()).hasSize(2);
        assertThat(view.<List<String>>path("runs.status")).containsOnly("SUCCEEDED");
        assertThat(bestRunId).isEqualTo(runIds.get(0));

        // The runs, as a user's SQL sees them.
        Sql sql = Sql.of(stack.postgres);
        List<List<Object>> rows = sql.rows("SELECT run_id, status, flag_dense_units, metric_test_accuracy, study_rank "
                + "FROM ls_runs WHERE study_id = ? ORDER BY study_rank", study);
        assertThat(rows).hasSize(2);
        assertThat(rows).extracting(r -> r.get(1)).containsOnly("SUCCEEDED");
        assertThat(rows).extracting(r -> ((Number) r.get(2)).intValue()).containsExactlyInAnyOrder(32, 64);
        assertThat(rows.get(0).get(0)).isEqualTo(bestRunId);
        assertThat(((Number) rows.get(0).get(3)).doubleValue()).as("test accuracy of the best run").isGreaterThan(0.6);
        assertThat(sql.value("SELECT count(*) FROM run_epoch WHERE run_id = ?", bestRunId)).isEqualTo(2L);

        // The best run's model classifies real digits through the gateway, Kafka and the inference service.
        String bestModel = api().get("/api/v1/trainings/" + bestRunId).then().statusCode(200).extract().path("modelId");
        LabeledImages digits = new DatasetCatalog(stack.dataDir, new ImageDecoder(8192)).load("mnist", null).test();
        int correct = 0;
        for (int i = 0; i < 10; i++) {
            Response answer = api().contentType("image/png").body(png(digits.image(i)))
                    .queryParam("model", bestModel).queryParam("topK", 3)
                    .post("/api/v1/classifications").then().statusCode(200).extract().response();
            assertThat(answer.<String>path("modelId")).isEqualTo(bestModel);
            if (digits.classNames().get(digits.label(i)).equals(answer.path("predictions[0].label"))) {
                correct++;
            }
        }
        assertThat(correct).as("digits the best model got right out of 10").isGreaterThanOrEqualTo(6);

        // Someone else's system reads the public result topics.
        Map<String, List<String>> seen = new HashMap<>();
        await("the outside consumer sees the results").atMost(Duration.ofSeconds(60)).until(() -> {
            for (ConsumerRecord<String, String> r : outsider.poll(Duration.ofMillis(500))) {
                seen.computeIfAbsent(r.topic(), t -> new ArrayList<>()).add(r.value());
            }
            return seen.getOrDefault(Topics.TRAIN_RESULTS, List.of()).size() >= 2
                    && seen.getOrDefault(Topics.MODELS, List.of()).size() >= 2
                    && seen.getOrDefault(Topics.CLASSIFY_RESULTS, List.of()).size() >= 10;
        });
        List<TrainResult> results = seen.get(Topics.TRAIN_RESULTS).stream()
                .map(v -> Json.read(v, TrainResult.class)).filter(r -> study.equals(r.studyId())).toList();
        assertThat(results).extracting(TrainResult::runId).containsExactlyInAnyOrderElementsOf(runIds);
        assertThat(results).extracting(TrainResult::status).containsOnly(RunStatus.SUCCEEDED);
        assertThat(results).allSatisfy(r -> assertThat(r.confusionMatrix().total()).isEqualTo(200));
        assertThat(seen.get(Topics.MODELS).stream().map(v -> Json.read(v, ModelPublished.class).modelId()))
                .contains(bestModel);
    }

    private static byte[] png(DecodedImage image) throws Exception {
        BufferedImage img = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < image.height(); y++) {
            for (int x = 0; x < image.width(); x++) {
                int v = image.at(x, y, 0);
                img.setRGB(x, y, (v << 16) | (v << 8) | v);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }
}
