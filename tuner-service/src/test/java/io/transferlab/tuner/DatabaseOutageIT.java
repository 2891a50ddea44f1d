package io.transferlab.tuner;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.restassured.path.json.JsonPath;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.transferlab.contracts.Ids;
import io.transferlab.contracts.Topics;
import io.transferlab.contracts.model.ModelPublished;
import io.transferlab.contracts.train.FinalMetrics;
import io.transferlab.contracts.train.TrainRequest;
import io.transferlab.testsupport.DedicatedPostgresResource;
import io.transferlab.testsupport.KafkaResource;
import io.transferlab.testsupport.ManagementEndpoints;
import io.transferlab.testsupport.RestartablePostgres;
import io.transferlab.testsupport.Sql;
import io.transferlab.tuner.support.FakeTrainer;
import io.transferlab.tuner.support.Messages;
import io.transferlab.tuner.support.TopicReader;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL goes away for longer than SmallRye's default unprocessed-record max age (60 s), while results,
 * progress, a standalone run, a model and a new study keep arriving. Nothing may be lost or dead-lettered, nothing
 * dispatched blind, readiness must say so, and everything must resume without restarting the service.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(DedicatedPostgresResource.class)
class DatabaseOutageIT {

    /** SmallRye's default throttled.unprocessed-record-max-age.ms, the trap docs/platform-notes.md warns about. */
    private static final Duration SMALLRYE_DEFAULT_MAX_AGE = Duration.ofSeconds(60);
    private static final Duration OUTAGE = SMALLRYE_DEFAULT_MAX_AGE.plusSeconds(5);

    @InjectKafkaCompanion
    KafkaCompanion kafka;

    private static int readiness() {
        return given().get(ManagementEndpoints.ready()).then().extract().statusCode();
    }

    @Test
    void anOutageLongerThanTheUnprocessedRecordMaxAgeLosesNothingAndNeedsNoRestart() {
        RestartablePostgres postgres = DedicatedPostgresResource.postgres();
        Sql sql = new Sql(postgres.jdbcUrl(), postgres.user(), postgres.password());
        String studyId = Ids.newStudyId();
        String lateStudyId = Ids.newStudyId();
        String standaloneRunId = Ids.newRunId();
        String modelId = "outage-model-" + System.nanoTime();

        try (FakeTrainer trainer = new FakeTrainer(kafka, studyId);
                FakeTrainer lateTrainer = new FakeTrainer(kafka, lateStudyId)) {
            trainer.send(Topics.TUNE_REQUESTS, studyId,
                    Messages.grid(studyId, Map.of("dropout", List.of(0.1, 0.2, 0.3, 0.4)), 2, "corr-outage"));
            await().atMost(Duration.ofSeconds(30)).until(() -> trainer.count() == 2);
            await().atMost(Duration.ofSeconds(30)).until(() -> readiness() == 200);
            List<TrainRequest> first = trainer.received();

            long stopped = System.nanoTime();
            postgres.stop();
            await("readiness DOWN").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                    .until(() -> readiness() == 503);
            double downAfter = (System.nanoTime() - stopped) / 1e9;

            // Everything a busy system sends meanwhile: both running trials end, a standalone run, a model, a study.
            first.forEach(r -> trainer.succeed(r, 0.80 + r.spec().dropout() / 10));
            TrainRequest standalone = new TrainRequest(1, standaloneRunId, null, null, Messages.baseSpec().withDefaults(),
                    "corr-standalone", Instant.now());
            trainer.send(Topics.TRAIN_REQUESTS, standaloneRunId, standalone);
            Messages.history(0.9).forEach(e -> trainer.send(Topics.TRAIN_PROGRESS, standaloneRunId,
                    Messages.progress(standalone, e)));
            trainer.send(Topics.TRAIN_RESULTS, standaloneRunId, Messages.succeeded(standalone, 0.9));
            trainer.send(Topics.MODELS, modelId, new ModelPublished(1, modelId, 1, standaloneRunId, standalone.spec(),
                    List.of("0", "1"), new FinalMetrics(null, null, null, null, null, 0.88), modelId + "/1", "random",
                    Instant.now()));
            lateTrainer.send(Topics.TUNE_REQUESTS, lateStudyId,
                    Messages.grid(lateStudyId, Map.of("denseUnits", List.of(64, 128)), 2, null));

            // Held down past the max age: readiness stays DOWN, says consumers wait, and nothing is dispatched.
            await("held down for " + OUTAGE.toSeconds() + " s").during(OUTAGE).atMost(OUTAGE.plusSeconds(10))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> readiness() == 503 && trainer.count() == 2 && lateTrainer.count() == 0);
            JsonPath health = given().get(ManagementEndpoints.ready()).then().extract().jsonPath();
            assertThat(health.getList("checks.findAll { it.name == 'Run recording' }.status")).containsExactly("DOWN");
            assertThat(health.getInt("checks.find { it.name == 'Run recording' }.data.consumersWaiting")).isPositive();

            long restarted = System.nanoTime();
            postgres.start();
            await("everything written").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() ->
                    Long.valueOf(2).equals(sql.value("SELECT count(*) FROM run WHERE study_id = ? AND status = 'SUCCEEDED'", studyId))
                            && "SUCCEEDED".equals(sql.value("SELECT status FROM run WHERE run_id = ?", standaloneRunId))
                            && Long.valueOf(1).equals(sql.value("SELECT count(*) FROM model WHERE model_id = ?", modelId))
                            && Integer.valueOf(2).equals(sql.value("SELECT trial_count FROM study WHERE study_id = ?", lateStudyId)));
            double writtenAfter = (System.nanoTime() - restarted) / 1e9;
            await("dispatch resumes").atMost(Duration.ofSeconds(30)).until(() -> trainer.count() == 4 && lateTrainer.count() == 2);
            await("readiness UP").atMost(Duration.ofSeconds(30)).until(() -> readiness() == 200);
            double upAfter = (System.nanoTime() - restarted) / 1e9;
            System.out.printf("DB outage of %d s: readiness DOWN after %.1f s; after PostgreSQL returned: all held records"
                    + " written in %.1f s, readiness UP in %.1f s%n", OUTAGE.toSeconds(), downAfter, writtenAfter, upAfter);

            // The consumers were never closed: the study runs to its end on the same channels.
            trainer.received().subList(2, 4).forEach(r -> trainer.succeed(r, 0.80 + r.spec().dropout() / 10));
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    "COMPLETED".equals(sql.value("SELECT status FROM study WHERE study_id = ?", studyId)));
            assertThat(sql.value("SELECT best_run_id FROM study_overview WHERE study_id = ?", studyId))
                    .isEqualTo(trainer.received().stream().filter(r -> r.spec().dropout() == 0.4).findFirst().orElseThrow().runId());
            assertThat(sql.value("SELECT count(*) FROM run_epoch e JOIN run r USING (run_id) WHERE r.study_id = ?", studyId))
                    .isEqualTo(8L);
            assertThat(sql.rows("SELECT epochs_completed, correlation_id FROM run WHERE run_id = ?", standaloneRunId))
                    .containsExactly(List.of(2, "corr-standalone"));

            Set<String> ours = new HashSet<>(List.of(standaloneRunId, modelId, lateStudyId, studyId));
            trainer.received().forEach(r -> ours.add(r.runId()));
            try (TopicReader dead = new TopicReader(KafkaResource.bootstrapServers(), List.of(
                    Topics.deadLetter(Topics.TRAIN_RESULTS), Topics.deadLetter(Topics.TRAIN_PROGRESS),
                    Topics.deadLetter(Topics.MODELS), Topics.deadLetter(Topics.TUNE_REQUESTS)))) {
                dead.assertNone(r -> ours.contains(r.key()), Duration.ofSeconds(3));
            }
        }
    }
}
