package io.transferlab.trainer;

import static io.restassured.RestAssured.given;
import static io.transferlab.trainer.TrainTopics.awaitResult;
import static io.transferlab.trainer.TrainTopics.header;
import static io.transferlab.trainer.TrainTopics.mnist;
import static io.transferlab.trainer.TrainTopics.models;
import static io.transferlab.trainer.TrainTopics.newRunId;
import static io.transferlab.trainer.TrainTopics.progress;
import static io.transferlab.trainer.TrainTopics.progressRecords;
import static io.transferlab.trainer.TrainTopics.request;
import static io.transferlab.trainer.TrainTopics.resultRecords;
import static io.transferlab.trainer.TrainTopics.results;
import static io.transferlab.trainer.TrainTopics.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.transferlab.contracts.MessageHeaders;
import io.transferlab.contracts.classify.Prediction;
import io.transferlab.contracts.model.ModelPublished;
import io.transferlab.contracts.train.ClassAccuracy;
import io.transferlab.contracts.train.EpochMetrics;
import io.transferlab.contracts.train.RunStatus;
import io.transferlab.contracts.train.TrainProgress;
import io.transferlab.contracts.train.TrainRequest;
import io.transferlab.contracts.train.TrainResult;
import io.transferlab.testsupport.KafkaResource;
import io.transferlab.testsupport.ManagementEndpoints;
import io.transferlab.vision.Classifier;
import io.transferlab.vision.DeviceMode;
import io.transferlab.vision.data.DatasetCatalog;
import io.transferlab.vision.data.LabeledImages;
import io.transferlab.vision.image.DecodedImage;
import io.transferlab.vision.image.ImageDecoder;
import io.transferlab.vision.store.ModelStore;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A real run end to end over Kafka: 300 MNIST images, small-cnn, 2 epochs; then the same request again.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(TrainerTestResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TrainingFlowIT {

    private static final int TEST_IMAGES = 200;
    private static final String RUN_ID = newRunId("flow");
    private static final String MODEL_ID = "it-digits-" + System.currentTimeMillis();
    private static final TrainRequest REQUEST = request(RUN_ID, MODEL_ID, mnist(300, TEST_IMAGES, 2).build());

    @Test
    @Order(1)
    void trainsAndPublishesOneProgressPerEpochInOrderAResultAndAServableModel() {
        long start = System.nanoTime();
        send(REQUEST);
        TrainResult result = awaitResult(RUN_ID, Duration.ofMinutes(3));
        System.out.printf("flow run: result after %d ms (run %d ms, %.0f img/s)%n",
                (System.nanoTime() - start) / 1_000_000, result.durationMs(), result.imagesPerSecond());

        assertThat(result.status()).as("error: %s", result.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(result.error()).isNull();
        assertThat(result.runId()).isEqualTo(RUN_ID);
        assertThat(result.spec().trainSize()).isEqualTo(300);
        assertThat(result.spec().imageSize()).isEqualTo(28);
        assertThat(result.modelId()).isEqualTo(MODEL_ID);
        assertThat(result.modelVersion()).isEqualTo(1);
        assertThat(result.device()).isEqualTo("cpu()");
        assertThat(result.trainerId()).isEqualTo(TrainerTestResource.TRAINER_ID);
        assertThat(result.startedAt()).isBeforeOrEqualTo(result.finishedAt());
        assertThat(result.durationMs()).isPositive();
        assertThat(result.imagesPerSecond()).isPositive();

        // one progress message per epoch, in order, matching the result's history
        List<TrainProgress> progress = progress(RUN_ID);
        assertThat(progress).extracting(p -> p.metrics().epoch()).containsExactly(1, 2);
        assertThat(progress).allSatisfy(p -> {
            assertThat(p.totalEpochs()).isEqualTo(2);
            assertThat(p.device()).isEqualTo("cpu()");
            assertThat(p.imagesPerSecond()).isPositive();
            assertThat(p.metrics().valAccuracy()).isNotNull();
        });
        assertThat(result.history()).isEqualTo(progress.stream().map(TrainProgress::metrics).toList());
        assertThat(result.history()).extracting(EpochMetrics::loss).allSatisfy(l -> assertThat(l).isPositive());

        // evaluation on the test set, in the chapter's orientation
        assertThat(result.confusionMatrix().total()).isEqualTo(TEST_IMAGES);
        assertThat(result.classNames()).isEqualTo(DatasetCatalog.MNIST_CLASSES);
        assertThat(result.perClassAccuracy()).hasSize(10);
        assertThat(result.perClassAccuracy().stream().mapToInt(ClassAccuracy::support).sum()).isEqualTo(TEST_IMAGES);
        assertThat(result.metrics().testAccuracy()).isBetween(0.0, 1.0);
        assertThat(result.metrics().trainAccuracy()).isBetween(0.0, 1.0);

        // headers: the caller's correlation id and CloudEvents attributes
        String correlation = "corr-" + RUN_ID;
        assertThat(header(resultRecords(RUN_ID).get(0), MessageHeaders.CORRELATION_ID)).isEqualTo(correlation);
        assertThat(header(resultRecords(RUN_ID).get(0), MessageHeaders.CE_TYPE)).isEqualTo("io.transferlab.TrainResult");
        assertThat(progressRecords(RUN_ID)).allSatisfy(r ->
                assertThat(header(r, MessageHeaders.CORRELATION_ID)).isEqualTo(correlation));

        // the model is announced with its location relative to the store root
        await().atMost(Duration.ofSeconds(10)).until(() -> !models(MODEL_ID).isEmpty());
        ModelPublished announced = models(MODEL_ID).get(0);
        assertThat(announced.version()).isEqualTo(1);
        assertThat(announced.runId()).isEqualTo(RUN_ID);
        assertThat(announced.location()).isEqualTo(MODEL_ID + "/v1");
        assertThat(announced.classNames()).isEqualTo(DatasetCatalog.MNIST_CLASSES);
        assertThat(TrainerTestResource.modelStore().resolve(announced.location()).resolve("model-card.json"))
                .isRegularFile();
        assertThat(TrainerTestResource.modelStore().resolve("_runs").resolve(RUN_ID + ".json")).isRegularFile();
    }

    @Test
    @Order(2)
    void savedModelLoadsFromTheStoreAndClassifiesTheTestImagesAsTheRunEvaluatedThem() {
        TrainResult result = results(RUN_ID).get(0);
        LabeledImages test = new DatasetCatalog(TrainerTestResource.dataDir(), new ImageDecoder(64)).load("mnist", null)
                .test().head(TEST_IMAGES);
        ModelStore store = new ModelStore(TrainerTestResource.modelStore(), DeviceMode.CPU, 8192);
        try (Classifier classifier = store.openClassifier(MODEL_ID)) {
            assertThat(classifier.version()).isEqualTo(1);
            assertThat(classifier.labels()).isEqualTo(result.classNames());
            List<DecodedImage> images = new ArrayList<>();
            for (int i = 0; i < test.size(); i++) {
                images.add(test.image(i));
            }
            List<List<Prediction>> predictions = classifier.classify(images, 3);
            int correct = 0;
            for (int i = 0; i < test.size(); i++) {
                assertThat(predictions.get(i)).hasSize(3);
                if (predictions.get(i).get(0).classIndex() == test.label(i)) {
                    correct++;
                }
            }
            assertThat(correct / (double) TEST_IMAGES).isCloseTo(result.metrics().testAccuracy(), within(1e-9));
        }
    }

    @Test
    @Order(3)
    void redeliveredRequestRepublishesTheRecordedResultWithoutTrainingAgain() {
        String first = resultRecords(RUN_ID).get(0).value();
        long start = System.nanoTime();

        send(REQUEST);

        await().atMost(Duration.ofSeconds(60)).until(() -> resultRecords(RUN_ID).size() == 2);
        long ms = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("redelivered request answered in %d ms%n", ms);
        assertThat(resultRecords(RUN_ID).get(1).value()).isEqualTo(first);
        assertThat(progress(RUN_ID)).hasSize(2); // no epoch ran again
        assertThat(new ModelStore(TrainerTestResource.modelStore()).versions(MODEL_ID)).hasSize(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> models(MODEL_ID).size() == 2);
        assertThat(models(MODEL_ID)).extracting(ModelPublished::version).containsExactly(1, 1);
        assertThat(Files.exists(TrainerTestResource.modelStore().resolve(MODEL_ID).resolve("v2"))).isFalse();
    }

    @Test
    @Order(4)
    void metricsShowRunsDurationsThroughputAndRepublishedResults() {
        String metrics = given().get(ManagementEndpoints.metrics()).then().statusCode(200).extract().asString();
        assertThat(metrics)
                .contains("transferlab_trainer_runs_active")
                .containsPattern("transferlab_trainer_run_duration_seconds_count\\{[^}]*status=\"SUCCEEDED\"[^}]*\\} [1-9]")
                .containsPattern("transferlab_trainer_images_per_second_count\\{?[^ ]*\\}? [1-9]")
                .containsPattern("transferlab_trainer_results_republished_total\\{?[^ ]*\\}? [1-9]");
    }
}
