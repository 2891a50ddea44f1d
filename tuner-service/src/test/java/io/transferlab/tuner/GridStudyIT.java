package io.transferlab.tuner;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.transferlab.contracts.Ids;
import io.transferlab.contracts.MessageHeaders;
import io.transferlab.contracts.Topics;
import io.transferlab.contracts.json.Json;
import io.transferlab.contracts.query.RunView;
import io.transferlab.contracts.query.StudyStatus;
import io.transferlab.contracts.query.StudyView;
import io.transferlab.contracts.train.RunSpec;
import io.transferlab.contracts.train.RunStatus;
import io.transferlab.contracts.train.TrainRequest;
import io.transferlab.contracts.train.TrainResult;
import io.transferlab.contracts.tune.Trial;
import io.transferlab.contracts.tune.TrialPlanner;
import io.transferlab.contracts.tune.TuneRequest;
import io.transferlab.testsupport.KafkaResource;
import io.transferlab.testsupport.ManagementEndpoints;
import io.transferlab.testsupport.PostgresResource;
import io.transferlab.testsupport.Sql;
import io.transferlab.tuner.support.FakeTrainer;
import io.transferlab.tuner.support.Messages;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;

/** The chapter's 8-run grid end to end: Kafka in, Kafka out, results back through the broker, SQL and HTTP. */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
class GridStudyIT {

    private static final int MAX_PARALLEL = 3;

    @InjectKafkaCompanion
    KafkaCompanion kafka;

    private final Sql sql = Sql.shared();

    /** Validation accuracy as a function of the flags: every combination different, 512/0.3/10 the best. */
    static double valAccuracy(RunSpec spec) {
        return 0.70 + (spec.denseUnits() == 512 ? 0.05 : 0) + (spec.dropout() == 0.3 ? 0.03 : 0)
                + (spec.batchSize() == 10 ? 0.01 : 0);
    }

    private static final String SUCCEEDED_RECORDED = "transferlab_tuner_runs_recorded_total{status=\"SUCCEEDED\"}";

    /** A series' value from the Prometheus text format (0 when absent). */
    static double metric(String series) {
        return given().get(ManagementEndpoints.metrics()).then().statusCode(200).extract().asString().lines()
                .filter(l -> l.startsWith(series + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private double succeededBefore;

    @Test
    void chaptersGridRunsEightTrialsWithinMaxParallelAndRanksThemBySqlAndHttp() {
        succeededBefore = metric(SUCCEEDED_RECORDED);
        String studyId = Ids.newStudyId();
        String correlationId = "corr-" + studyId;
        TuneRequest request = Messages.grid(studyId, Messages.chapterGrid(), MAX_PARALLEL, correlationId);
        List<Trial> plan = TrialPlanner.plan(request);

        try (FakeTrainer trainer = new FakeTrainer(kafka, studyId)) {
            ProducerRecord<String, String> record = new ProducerRecord<>(Topics.TUNE_REQUESTS, studyId, Json.write(request));
            record.headers().add(new RecordHeader(MessageHeaders.CORRELATION_ID, correlationId.getBytes(StandardCharsets.UTF_8)));
            kafka.produceStrings().fromRecords(record).awaitCompletion();

            // The trainer holds its results: exactly maxParallel requests arrive and no more, until a result
            // frees a slot, and then exactly one more. Every result is also delivered twice.
            List<TrainResult> results = new ArrayList<>();
            for (int ended = 0; ended < plan.size(); ended++) {
                int expected = Math.min(plan.size(), ended + MAX_PARALLEL);
                await("request " + expected + " arrives").atMost(Duration.ofSeconds(30)).until(() -> trainer.count() >= expected);
                await("no request beyond " + expected + " while " + MAX_PARALLEL + " run")
                        .during(Duration.ofMillis(1000)).atMost(Duration.ofSeconds(5)).until(() -> trainer.count() == expected);
                TrainRequest next = trainer.received().get(ended);
                trainer.succeed(next, valAccuracy(next.spec()));
                TrainResult result = Messages.succeeded(next, valAccuracy(next.spec()));
                trainer.redeliver(result);
                results.add(result);
            }
            assertThat(trainer.maxInFlight()).as("runs in flight at any request's arrival").isEqualTo(MAX_PARALLEL);

            await("study completes").atMost(Duration.ofSeconds(30)).until(() ->
                    "COMPLETED".equals(sql.value("SELECT status FROM study WHERE study_id = ?", studyId)));
            await("duplicates dispatch nothing more").during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                    .until(() -> trainer.count() == plan.size());

            checkTheRequests(trainer, studyId, correlationId, plan);
        }

        String best = checkTheRankedTableWithSql(studyId);
        checkTheApi(studyId, best);
    }

    private void checkTheRequests(FakeTrainer trainer, String studyId, String correlationId, List<Trial> plan) {
        List<ConsumerRecord<String, String>> records = trainer.records();
        assertThat(records).hasSize(8);
        List<TrainRequest> requests = trainer.received();
        assertThat(new HashSet<>(requests.stream().map(TrainRequest::runId).toList())).hasSize(8);
        for (ConsumerRecord<String, String> r : records) {
            TrainRequest request = Json.read(r.value(), TrainRequest.class);
            assertThat(r.key()).isEqualTo(request.runId()).startsWith("run-");
            assertThat(request.studyId()).isEqualTo(studyId);
            assertThat(request.correlationId()).isEqualTo(correlationId);
            assertThat(new String(r.headers().lastHeader(MessageHeaders.CORRELATION_ID).value(), StandardCharsets.UTF_8))
                    .isEqualTo(correlationId);
            assertThat(r.headers().lastHeader("ce_type")).isNotNull();
        }
        // Each request carries its trial's flags, and the trial index -> run id mapping follows the plan.
        List<Map<String, Object>> trials = sql.maps("""
                SELECT t.trial_index, t.run_id, r.dense_units, r.dropout, r.batch_size, r.optimizer
                FROM trial t JOIN run r ON r.run_id = t.run_id WHERE t.study_id = ? ORDER BY t.trial_index
                """, studyId);
        assertThat(trials).hasSize(8);
        for (Map<String, Object> row : trials) {
            Trial planned = plan.get((Integer) row.get("trial_index"));
            TrainRequest sent = requests.stream().filter(q -> q.runId().equals(row.get("run_id"))).findFirst().orElseThrow();
            assertThat(sent.spec()).isEqualTo(planned.spec());
            assertThat(List.of(row.get("dense_units"), row.get("dropout"), row.get("batch_size"), row.get("optimizer")))
                    .containsExactly(planned.spec().denseUnits(), planned.spec().dropout(), planned.spec().batchSize(), "rmsprop");
        }
        // Dispatch order is plan order: the first maxParallel requests are trials 0..2.
        assertThat(requests.subList(0, MAX_PARALLEL).stream().map(q -> q.spec().denseUnits()).toList())
                .containsOnly(256);
    }

    private String checkTheRankedTableWithSql(String studyId) {
        List<List<Object>> table = sql.rows("""
                SELECT study_rank, flag_dense_units, flag_dropout, flag_batch_size, metric_val_accuracy, status
                FROM ls_runs WHERE study_id = ? ORDER BY study_rank
                """, studyId);
        assertThat(table).hasSize(8);
        assertThat(table.get(0)).containsExactly(1L, 512, 0.3, 10, 0.79, "SUCCEEDED");
        assertThat(table.get(7)).containsExactly(8L, 256, 0.1, 30, 0.70, "SUCCEEDED");
        List<Double> accuracies = table.stream().map(r -> (Double) r.get(4)).toList();
        assertThat(accuracies).isSortedAccordingTo((a, b) -> Double.compare(b, a));

        Map<String, Object> overview = sql.maps("SELECT * FROM study_overview WHERE study_id = ?", studyId).get(0);
        assertThat(overview).containsEntry("status", "COMPLETED").containsEntry("runs_succeeded", 8L)
                .containsEntry("runs_queued", 0L).containsEntry("trial_count", 8).containsEntry("best_value", 0.79);
        String best = (String) overview.get("best_run_id");
        assertThat(sql.value("SELECT dense_units FROM run WHERE run_id = ?", best)).isEqualTo(512);

        // Duplicates are upserts: one row per run and per epoch.
        assertThat(sql.value("SELECT count(*) FROM run WHERE study_id = ?", studyId)).isEqualTo(8L);
        assertThat(sql.value("SELECT count(*) FROM run_epoch e JOIN run r USING (run_id) WHERE r.study_id = ?", studyId))
                .isEqualTo(16L);
        assertThat(sql.value("SELECT count(*) FROM run_class_metric m JOIN run r USING (run_id) WHERE r.study_id = ?", studyId))
                .isEqualTo(16L);
        return best;
    }

    private void checkTheApi(String studyId, String best) {
        StudyView study = given().get("/api/v1/studies/{id}", studyId).then().statusCode(200)
                .extract().as(StudyView.class);
        assertThat(study.status()).isEqualTo(StudyStatus.COMPLETED);
        assertThat(study.bestRunId()).isEqualTo(best);
        assertThat(study.bestValue()).isEqualTo(0.79);
        assertThat(study.trialCount()).isEqualTo(8);
        assertThat(study.maxParallel()).isEqualTo(MAX_PARALLEL);
        assertThat(study.runsByStatus()).containsEntry("SUCCEEDED", 8).containsEntry("QUEUED", 0);
        assertThat(study.objective().metric()).isEqualTo("val_accuracy");
        assertThat(study.grid().keySet()).containsExactly("denseUnits", "dropout", "batchSize");
        assertThat(study.runs()).hasSize(8);
        assertThat(study.runs()).extracting(r -> r.rank()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
        assertThat(study.runs().get(0).runId()).isEqualTo(best);
        assertThat(study.runs().get(0).flags()).containsExactly(Map.entry("flag_dense_units", 512),
                Map.entry("flag_dropout", 0.3), Map.entry("flag_batch_size", 10));
        assertThat(study.runs().get(0).metrics()).containsEntry("metric_val_accuracy", 0.79)
                .containsEntry("metric_loss", 0.70).containsKeys("metric_test_accuracy", "metric_val_loss");

        given().get("/api/v1/studies").then().statusCode(200).body("studyId", hasItem(studyId));
        given().get("/api/v1/studies?status=completed&limit=1000").then().statusCode(200).body("studyId", hasItem(studyId));

        List<RunView> top3 = List.of(given().get("/api/v1/runs?studyId={id}&limit=3", studyId).then().statusCode(200)
                .extract().as(RunView[].class));
        assertThat(top3).hasSize(3);
        assertThat(top3.get(0).runId()).isEqualTo(best);
        assertThat(top3).allSatisfy(r -> assertThat(r.history()).isNull());
        given().get("/api/v1/runs?studyId={id}&status=FAILED", studyId).then().statusCode(200).body("$", hasSize(0));

        RunView run = given().get("/api/v1/runs/{id}", best).then().statusCode(200).extract().as(RunView.class);
        assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(run.studyId()).isEqualTo(studyId);
        assertThat(run.history()).hasSize(2);
        assertThat(run.history().get(1).valAccuracy()).isEqualTo(0.79);
        assertThat(run.metrics().valAccuracy()).isEqualTo(0.79);
        assertThat(run.perClassAccuracy()).hasSize(2);
        assertThat(run.confusionMatrix().total()).isEqualTo(100);
        assertThat(run.variedFlags()).containsEntry("denseUnits", 512);
        assertThat(run.submittedAt()).isNotNull();

        await("the sweep publishes the running-studies gauge").atMost(Duration.ofSeconds(10))
                .until(() -> given().get(ManagementEndpoints.metrics()).then().extract().asString().lines()
                        .anyMatch(l -> l.startsWith("transferlab_tuner_studies_running ")));
        assertThat(metric("transferlab_tuner_trials_dispatched_total")).isGreaterThanOrEqualTo(8);
        // Every result was delivered twice; the redeliveries are not counted as runs recorded.
        assertThat(metric(SUCCEEDED_RECORDED) - succeededBefore).isEqualTo(8);
        given().get(ManagementEndpoints.ready()).then().statusCode(200).body("status", equalTo("UP"));
    }
}
