package io.transferlab.gateway;

import static io.transferlab.gateway.TestKeys.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.transferlab.contracts.train.RunStatus;
import io.transferlab.gateway.standin.TunerStandIn;
import io.transferlab.testsupport.KafkaResource;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Reads go to the tuner's query API (here its stand-in); its failures have names. */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(TunerStandIn.class)
class TunerQueriesIT {

    @AfterEach
    void reset() {
        TunerStandIn.startServer();
        TunerStandIn.clear();
    }

    @Test
    void showsARunWithHistoryMetricsAndConfusionMatrix() {
        TunerStandIn.serve("/api/v1/runs/run-a", Views.run("run-a", RunStatus.SUCCEEDED, 3));
        as(TestKeys.CLASSIFY).get("/api/v1/trainings/run-a").then().statusCode(200)
                .body("runId", equalTo("run-a")).body("status", equalTo("SUCCEEDED"))
                .body("history", hasSize(3)).body("history[2].epoch", equalTo(3))
                .body("confusionMatrix.counts[0][0]", equalTo(45))
                .body("perClassAccuracy[1].label", equalTo("one"))
                .body("metrics.testAccuracy", equalTo(0.84f));
    }

    @Test
    void listsRunsWithFilters() {
        TunerStandIn.serve("/api/v1/runs?studyId=study-x&status=SUCCEEDED&limit=5",
                List.of(Views.run("run-b", RunStatus.SUCCEEDED, 2)));
        as(TestKeys.TRAIN).queryParam("studyId", "study-x").queryParam("status", "SUCCEEDED").queryParam("limit", 5)
                .get("/api/v1/trainings").then().statusCode(200).body("runId", equalTo(List.of("run-b")));
    }

    @Test
    void showsStudiesWithTheirRunsTableAndModels() {
        TunerStandIn.serve("/api/v1/studies/study-a", Views.study("study-a", 2,
                List.of(Views.row("run-1", 0, RunStatus.SUCCEEDED, 0.8), Views.row("run-2", 1, RunStatus.RUNNING, null))));
        TunerStandIn.serve("/api/v1/studies", List.of(Views.study("study-a", 2, List.of())));
        TunerStandIn.serve("/api/v1/models", List.of(Views.model("digits")));
        TunerStandIn.serve("/api/v1/models/digits", Views.model("digits"));
        as(TestKeys.TRAIN).get("/api/v1/tunings/study-a").then().statusCode(200)
                .body("runs", hasSize(2)).body("runs[0].flags.flag_dropout", equalTo(0.1f))
                .body("runs[0].metrics.metric_val_accuracy", equalTo(0.8f));
        as(TestKeys.TRAIN).get("/api/v1/tunings").then().statusCode(200).body("studyId", equalTo(List.of("study-a")));
        as(TestKeys.TRAIN).get("/api/v1/models").then().statusCode(200).body("modelId", equalTo(List.of("digits")));
        as(TestKeys.TRAIN).get("/api/v1/models/digits").then().statusCode(200)
                .body("latestVersion", equalTo(2)).body("latest.classNames", equalTo(List.of("zero", "one")));
    }

    @Test
    void unknownIdsAre404Problems() {
        as(TestKeys.TRAIN).get("/api/v1/trainings/run-nope").then().statusCode(404)
                .contentType("application/problem+json").body("detail", containsString("training run run-nope"));
        as(TestKeys.TRAIN).get("/api/v1/tunings/study-nope").then().statusCode(404);
        as(TestKeys.TRAIN).get("/api/v1/models/nope").then().statusCode(404).body("detail", containsString("model nope"));
    }

    @Test
    void tunerFailuresAre502AndAnUnreachableTuner503() {
        TunerStandIn.fail("/api/v1/runs/run-broken", 500);
        as(TestKeys.TRAIN).get("/api/v1/trainings/run-broken").then().statusCode(502)
                .contentType("application/problem+json").body("detail", containsString("HTTP 500"));
        TunerStandIn.stopServer();
        as(TestKeys.TRAIN).get("/api/v1/models").then().statusCode(503)
                .contentType("application/problem+json").body("detail", containsString("cannot be reached"));
    }
}
