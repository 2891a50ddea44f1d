package io.transferlab.inference;

import static io.restassured.RestAssured.given;
import static io.transferlab.inference.InferenceTestResources.RELOADING;
import static io.transferlab.inference.TestRequester.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.transferlab.contracts.SchemaVersion;
import io.transferlab.contracts.Topics;
import io.transferlab.contracts.classify.ClassifyResult;
import io.transferlab.contracts.classify.ClassifyStatus;
import io.transferlab.contracts.json.Json;
import io.transferlab.contracts.model.ModelPublished;
import io.transferlab.testsupport.KafkaResource;
import io.transferlab.testsupport.ManagementEndpoints;
import io.transferlab.vision.train.TrainingOutcome;
import io.transferlab.vision.train.TransferTrainer;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * A new version trained and published into the store while requests keep flowing, then announced on
 * {@code vision.models}: the service switches to it without an error and without losing a request.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(InferenceTestResources.class)
class HotReloadIT {

    /** A request and its answer, with when each happened. */
    record Exchange(long sentAt, long answeredAt, ClassifyResult result) {
    }

    @Inject
    TestRequester requester;

    @ConfigProperty(name = "mp.messaging.incoming.model-announcements.group.id")
    String announcementsGroup;

    @Test
    void aNewVersionAnnouncedMidTrafficTakesOverWithoutErrorsOrLostRequests() throws Exception {
        List<Digits.Digit> digits = Digits.test(50);
        ClassifyResult before = requester.classify(request(RELOADING, digits.get(0).png(), 1));
        assertThat(before.modelVersion()).isEqualTo(1);
        try (KafkaCompanion kafka = new KafkaCompanion(KafkaResource.bootstrapServers())) {
            // this instance reads announcements from the end of the topic: it must be listening before we announce
            await().atMost(Duration.ofSeconds(60)).until(() -> kafka.consumerGroups().describe(announcementsGroup)
                    .members().stream().anyMatch(m -> !m.assignment().topicPartitions().isEmpty()));

            List<Exchange> exchanges = new CopyOnWriteArrayList<>();
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            AtomicBoolean stop = new AtomicBoolean();
            ExecutorService clients = Executors.newFixedThreadPool(4);
            List<Future<?>> loops = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                int client = c;
                loops.add(clients.submit(() -> {
                    for (int i = client; !stop.get(); i += 4) {
                        long sent = System.nanoTime();
                        try {
                            ClassifyResult r = requester.classify(request(RELOADING, digits.get(i % 50).png(), 1));
                            exchanges.add(new Exchange(sent, System.nanoTime(), r));
                        } catch (RuntimeException e) {
                            failures.add(e);
                        }
                    }
                }));
            }
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> exchanges.size() >= 20);
                TrainingOutcome v2 = TransferTrainer.create(InferenceTestResources.settings())
                        .train("run-it-reload-2", RELOADING, InferenceTestResources.digitsSpec(11L), null, null);
                assertThat(v2.modelVersion()).isEqualTo(2);
                kafka.produceStrings().fromRecords(new ProducerRecord<>(Topics.MODELS, RELOADING,
                        Json.write(announcement(v2)))).awaitCompletion(Duration.ofSeconds(30));

                await().atMost(Duration.ofSeconds(120)).until(() -> exchanges.stream()
                        .filter(e -> e.result().modelVersion() != null && e.result().modelVersion() == 2).count() >= 20);
            } finally {
                stop.set(true);
                for (Future<?> loop : loops) {
                    loop.get(120, TimeUnit.SECONDS);
                }
                clients.shutdownNow();
            }

            assertThat(failures).as("requests without an answer").isEmpty();
            assertThat(exchanges).allSatisfy(e -> assertThat(e.result().status()).as("%s", e.result().error())
                    .isEqualTo(ClassifyStatus.OK));
            long firstV2 = exchanges.stream().filter(e -> e.result().modelVersion() == 2)
                    .mapToLong(Exchange::answeredAt).min().orElseThrow();
            assertThat(exchanges.stream().filter(e -> e.sentAt() > firstV2))
                    .as("requests sent after version 2 answered").isNotEmpty()
                    .allSatisfy(e -> assertThat(e.result().modelVersion()).isEqualTo(2));
            long v1 = exchanges.stream().filter(e -> e.result().modelVersion() == 1).count();
            System.out.printf("hot reload: %d answers from v1, %d from v2, no errors%n", v1, exchanges.size() - v1);
            assertThat(v1).as("answers from version 1 during the traffic").isPositive();
        }
        String metrics = given().get(ManagementEndpoints.metrics()).then().statusCode(200).extract().asString();
        assertThat(metrics).containsPattern("transferlab_inference_model_cache_reloads_total(\\{[^}]*\\})? [1-9]");
    }

    private static ModelPublished announcement(TrainingOutcome outcome) {
        return new ModelPublished(SchemaVersion.CURRENT, outcome.modelId(), outcome.modelVersion(), "run-it-reload-2",
                outcome.card().spec(), outcome.classNames(), outcome.metrics(),
                outcome.modelId() + "/v" + outcome.modelVersion(), outcome.card().lineage(), Instant.now());
    }
}
