package io.transferlab.inference;

import static io.restassured.RestAssured.given;
import static io.transferlab.inference.InferenceTestResources.DIGITS;
import static io.transferlab.inference.TestRequester.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.transferlab.contracts.ErrorCode;
import io.transferlab.contracts.MessageHeaders;
import io.transferlab.contracts.SchemaVersion;
import io.transferlab.contracts.Topics;
import io.transferlab.contracts.classify.ClassifyRequest;
import io.transferlab.contracts.classify.ClassifyResult;
import io.transferlab.contracts.classify.ClassifyStatus;
import io.transferlab.contracts.classify.Prediction;
import io.transferlab.contracts.json.Json;
import io.transferlab.testsupport.KafkaResource;
import io.transferlab.testsupport.ManagementEndpoints;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

/**
 * Classification over Kafka against a real broker, with SmallRye's own request-reply emitter as the requester and
 * a small CNN trained in this test run on real MNIST digits as the model.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(InferenceTestResources.class)
class ClassifyOverKafkaIT {

    private static final Duration REPLY = Duration.ofSeconds(60);

    @Inject
    TestRequester requester;

    @InjectKafkaCompanion
    KafkaCompanion kafka;

    @Test
    void classifiesRealMnistDigitsSentAsPngWithTheirTrueLabelsMostOfTheTime() {
        List<Digits.Digit> digits = Digits.test(60);
        List<ClassifyRequest> requests = digits.stream().map(d -> request(DIGITS, d.png(), 3)).toList();

        List<ClassifyResult> results = Uni.join().all(requests.stream().map(requester::classifyAsync).toList())
                .andFailFast().await().atMost(Duration.ofMinutes(2));

        int correct = 0;
        for (int i = 0; i < results.size(); i++) {
            ClassifyResult r = results.get(i);
            assertThat(r.requestId()).isEqualTo(requests.get(i).requestId());
            assertThat(r.status()).as("result %s: %s", i, r.error()).isEqualTo(ClassifyStatus.OK);
            assertThat(r.schemaVersion()).isEqualTo(SchemaVersion.CURRENT);
            assertThat(r.modelId()).isEqualTo(DIGITS);
            assertThat(r.modelVersion()).isEqualTo(1);
            assertThat(r.batchSize()).isBetween(1, 16);
            assertThat(r.timings().totalMs()).isGreaterThan(0).isGreaterThanOrEqualTo(r.timings().inferenceMs());
            List<Prediction> p = r.predictions();
            assertThat(p).hasSize(3);
            assertThat(p).extracting(Prediction::score).isSortedAccordingTo((a, b) -> Double.compare(b, a));
            assertThat(p.stream().mapToDouble(Prediction::score).sum()).isBetween(0.0, 1.0001);
            assertThat(p).allSatisfy(x -> assertThat(x.label()).isEqualTo(String.valueOf(x.classIndex())));
            if (p.get(0).classIndex() == digits.get(i).label()) {
                correct++;
            }
        }
        System.out.printf("digits over Kafka: %d of %d right (the model's own test accuracy: %.3f)%n", correct,
                results.size(), InferenceTestResources.trained().metrics().testAccuracy());
        assertThat(correct).isGreaterThanOrEqualTo(45);
    }

    @Test
    void twoHundredConcurrentRequestsGetExactlyOneResultEachAndShareForwardPasses() {
        List<Digits.Digit> digits = Digits.test(200);
        List<ClassifyRequest> requests = digits.stream().map(d -> request(DIGITS, d.png(), 1)).toList();
        Set<String> ids = requests.stream().map(ClassifyRequest::requestId).collect(Collectors.toSet());
        try (ConsumerTask<String, String> onTopic = kafka.consumeStrings().withProp("auto.offset.reset", "earliest")
                .fromTopics(Topics.CLASSIFY_RESULTS)) {

            List<ClassifyResult> results = Uni.join().all(requests.stream().map(requester::classifyAsync).toList())
                    .andFailFast().await().atMost(Duration.ofMinutes(3));

            assertThat(results).hasSize(200);
            assertThat(results).extracting(ClassifyResult::requestId).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(results).allSatisfy(r -> assertThat(r.status()).as("%s", r.error()).isEqualTo(ClassifyStatus.OK));
            int largest = results.stream().mapToInt(ClassifyResult::batchSize).max().orElse(0);
            System.out.printf("200 concurrent requests: largest batch %d, mean batch %.1f%n", largest,
                    results.stream().mapToInt(ClassifyResult::batchSize).average().orElse(0));
            assertThat(largest).as("largest batch").isGreaterThan(1);

            // On the topic itself (where any subscriber reads), each request has exactly one result, also a while later.
            await().atMost(Duration.ofSeconds(30)).until(() -> resultsOnTopic(onTopic, ids).size() == 200);
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                    .until(() -> resultsOnTopic(onTopic, ids).values().stream().allMatch(n -> n == 1L)
                            && resultsOnTopic(onTopic, ids).size() == 200);
        }
    }

    private static Map<String, Long> resultsOnTopic(ConsumerTask<String, String> task, Set<String> ids) {
        return task.getRecords().stream().map(ConsumerRecord::key).filter(ids::contains)
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }

    @Test
    void repliesGoToTheTopicAndPartitionTheRequesterNamedWithItsCorrelationId() {
        ClassifyRequest request = request(DIGITS, Digits.test(1).get(0).png(), 2);

        ConsumerRecord<String, String> record = requester.sendPartitioned(request.requestId(), Json.write(request))
                .await().atMost(REPLY);

        assertThat(record.topic()).isEqualTo(InferenceTestResources.REPLY_TOPIC);
        assertThat(record.partition()).isEqualTo(InferenceTestResources.REPLY_PARTITION);
        assertThat(record.key()).isEqualTo(request.requestId());
        assertThat(record.headers().lastHeader("REPLY_CORRELATION_ID")).isNotNull();
        assertThat(record.headers().lastHeader("REPLY_TOPIC")).as("a reply must not look like a request").isNull();
        assertThat(header(record, MessageHeaders.CORRELATION_ID)).isEqualTo(request.requestId());
        assertThat(header(record, "ce_type")).isEqualTo("io.transferlab.ClassifyResult");
        ClassifyResult result = Json.read(record.value(), ClassifyResult.class);
        assertThat(result.status()).isEqualTo(ClassifyStatus.OK);
        assertThat(result.predictions()).hasSize(2);
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Test
    void undecodableImageBytesAreAnsweredInvalidImage() {
        ClassifyResult r = requester.classify(request(DIGITS, "this is not an image".getBytes(StandardCharsets.UTF_8),
                3));
        assertError(r, ErrorCode.INVALID_IMAGE, "only JPEG and PNG");
    }

    @Test
    void aTruncatedPngIsAnsweredInvalidImage() {
        byte[] png = Digits.test(1).get(0).png();
        ClassifyResult r = requester.classify(request(DIGITS, Arrays.copyOf(png, png.length / 2), 3));
        assertError(r, ErrorCode.INVALID_IMAGE, "PNG");
    }

    @Test
    void anImageOverTheSizeBoundIsAnsweredInvalidImage() {
        ClassifyResult r = requester.classify(request(DIGITS, Digits.blankPng(600, 20), 3));
        assertError(r, ErrorCode.INVALID_IMAGE, "600x20");
        assertThat(r.error().message()).contains("at most " + InferenceTestResources.MAX_IMAGE_SIDE);
    }

    @Test
    void anUnknownModelIsAnsweredUnknownModel() {
        ClassifyResult r = requester.classify(request("no-such-model", Digits.test(1).get(0).png(), 3));
        assertError(r, ErrorCode.UNKNOWN_MODEL, "no-such-model");
    }

    @Test
    void imagenetResnet50WithoutItsWeightsSaysWhichFileIsMissingAndHowToMakeIt() {
        ClassifyResult r = requester.classify(request("imagenet-resnet50", Digits.test(1).get(0).png(), 5));
        assertError(r, ErrorCode.MISSING_WEIGHTS, "resnet50-imagenet.pt");
        assertThat(r.error().message()).contains("export_torchvision.py");
    }

    @Test
    void malformedJsonIsAnsweredAndDeadLetteredWithTheReason() {
        String key = "req-" + UUID.randomUUID();

        ClassifyResult r = Json.read(requester.sendRaw(key, "{\"requestId\": ").await().atMost(REPLY).value(),
                ClassifyResult.class);

        assertThat(r.requestId()).isEqualTo(key);
        assertError(r, ErrorCode.INVALID_SPEC, "malformed JSON");
        assertDeadLettered(key, "malformed JSON");
    }

    @Test
    void aRequestBreakingTheContractIsAnsweredWithEveryViolationAndDeadLettered() {
        String key = "req-" + UUID.randomUUID();
        ClassifyRequest broken = new ClassifyRequest(SchemaVersion.CURRENT, key, DIGITS, 0, null, null, Instant.now());

        ClassifyResult r = Json.read(requester.sendRaw(key, Json.write(broken)).await().atMost(REPLY).value(),
                ClassifyResult.class);

        assertError(r, ErrorCode.INVALID_SPEC, "topK");
        assertThat(r.error().message()).contains("image");
        assertDeadLettered(key, "topK");
    }

    @Test
    void badInputNeverStopsTheConsumer() {
        List<Uni<Void>> bad = List.of(
                requester.sendRaw("bad-1-" + UUID.randomUUID(), "not json at all").replaceWithVoid(),
                requester.sendRaw("bad-2-" + UUID.randomUUID(), "").replaceWithVoid(),
                requester.classifyAsync(request("no-such-model", new byte[] {1, 2, 3}, 1)).replaceWithVoid(),
                requester.classifyAsync(request(DIGITS, new byte[] {(byte) 0x89, 'P', 'N', 'G'}, 1))
                        .replaceWithVoid());
        Uni.join().all(bad).andFailFast().await().atMost(REPLY);

        ClassifyResult good = requester.classify(request(DIGITS, Digits.test(1).get(0).png(), 1));

        assertThat(good.status()).isEqualTo(ClassifyStatus.OK);
        given().get(ManagementEndpoints.ready()).then().statusCode(200).body("status", equalTo("UP"));
    }

    private static void assertError(ClassifyResult r, ErrorCode code, String reason) {
        assertThat(r.status()).isEqualTo(ClassifyStatus.ERROR);
        assertThat(r.error().code()).isEqualTo(code);
        assertThat(r.error().message()).contains(reason);
        assertThat(r.predictions()).isNull();
    }

    private void assertDeadLettered(String key, String reason) {
        try (ConsumerTask<String, String> dlq = kafka.consumeStrings().withProp("auto.offset.reset", "earliest")
                .fromTopics(Topics.deadLetter(Topics.CLASSIFY_REQUESTS))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> dlq.getRecords().stream()
                    .anyMatch(rec -> key.equals(rec.key())));
            ConsumerRecord<String, String> record = dlq.getRecords().stream().filter(rec -> key.equals(rec.key()))
                    .findFirst().orElseThrow();
            String why = new String(record.headers().lastHeader(MessageHeaders.DEAD_LETTER_REASON).value(),
                    StandardCharsets.UTF_8);
            assertThat(why).contains(reason);
            assertThat(new String(record.headers().lastHeader("dead-letter-topic").value(), StandardCharsets.UTF_8))
                    .isEqualTo(Topics.CLASSIFY_REQUESTS);
        }
    }
}
