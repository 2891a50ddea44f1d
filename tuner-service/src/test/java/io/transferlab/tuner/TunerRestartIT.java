package io.transferlab.tuner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.transferlab.contracts.Ids;
import io.transferlab.contracts.Topics;
import io.transferlab.contracts.train.TrainRequest;
import io.transferlab.testsupport.KafkaBroker;
import io.transferlab.testsupport.PostgresResource;
import io.transferlab.testsupport.QuarkusProcess;
import io.transferlab.testsupport.Sql;
import io.transferlab.tuner.support.FakeTrainer;
import io.transferlab.tuner.support.Messages;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The tuner as real processes (the packaged jar) on a broker and a database of this class's own. First a tuner is
 * killed with SIGKILL mid-study and two new processes carry the study on; then those two, as replicas, share two
 * studies. Every trial must be dispatched exactly once and maxParallel must hold, because the dispatch state lives
 * in PostgreSQL and each study is advanced under its row lock.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TunerRestartIT {

    private static final Duration READY = Duration.ofSeconds(120);
    private static KafkaBroker broker;
    private static KafkaCompanion kafka;
    private static Sql sql;
    private static Map<String, String> settings;
    private static QuarkusProcess replicaOne;
    private static QuarkusProcess replicaTwo;

    @BeforeAll
    static void infrastructure() {
        broker = KafkaBroker.onFreePorts(4).start();
        kafka = new KafkaCompanion(broker.bootstrapServers());
        String database = "tuner_restart_" + System.nanoTime();
        Sql.shared().update("CREATE DATABASE " + database);
        PostgresResource.Connection c = PostgresResource.connection();
        String url = c.jdbcUrl().replaceFirst("^(jdbc:postgresql://[^/]+/)[^?]*", "$1" + database);
        sql = new Sql(url, c.user(), c.password());
        // A SIGKILLed consumer keeps its partitions until its session times out (45 s by default); the broker's
        // minimum, 6 s, keeps this test short without changing what it shows.
        settings = Map.of(
                "kafka.bootstrap.servers", broker.bootstrapServers(),
                "quarkus.datasource.jdbc.url", url,
                "quarkus.datasource.username", c.user(),
                "quarkus.datasource.password", c.password(),
                "transferlab.tuner.sweep-interval", "1s",
                "transferlab.tuner.security.enabled", "false",
                "mp.messaging.connector.smallrye-kafka.session.timeout.ms", "6000",
                "mp.messaging.connector.smallrye-kafka.heartbeat.interval.ms", "1000");
    }

    @AfterAll
    static void tearDown() {
        for (AutoCloseable resource : new AutoCloseable[] {replicaOne, replicaTwo, kafka}) {
            try {
                if (resource != null) {
                    resource.close();
                }
            } catch (Exception e) {
                // best effort: the next one must still be closed
            }
        }
        if (broker != null) {
            broker.stop();
        }
    }

    /** The packaged tuner (built by the package phase before failsafe runs) as a process of its own. */
    private static QuarkusProcess startTuner(String name) {
        return QuarkusProcess.of("tuner-service").name(name).properties(settings)
                // Short-lived test processes on a busy machine: C1 only starts noticeably faster.
                .jvmOptions("-Xmx256m", "-XX:TieredStopAtLevel=1")
                .log(Path.of("target/tuner-processes", name + ".log")).start();
    }

    private long dispatched(String studyId) {
        return (Long) sql.value("SELECT count(*) FROM trial WHERE study_id = ? AND dispatched_at IS NOT NULL", studyId);
    }

    private String status(String studyId) {
        return (String) sql.value("SELECT status FROM study WHERE study_id = ?", studyId);
    }

    private static void assertEachTrialDispatchedOnce(FakeTrainer trainer, int maxParallel) {
        List<String> runIds = trainer.received().stream().map(TrainRequest::runId).toList();
        assertThat(runIds).hasSize(8);
        assertThat(new HashSet<>(runIds)).hasSize(8);
        assertThat(new HashSet<>(trainer.received().stream().map(TrainRequest::spec).toList())).hasSize(8);
        assertThat(trainer.maxInFlight()).isLessThanOrEqualTo(maxParallel);
    }

    @Test
    @Order(1)
    void aTunerKilledMidStudyIsReplacedAndTheStudyContinuesWithoutDispatchingAnyTrialTwice() {
        String studyId = Ids.newStudyId();
        try (FakeTrainer trainer = new FakeTrainer(kafka, studyId)) {
            try (QuarkusProcess first = startTuner("restart-first").awaitReady(READY)) {
                trainer.send(Topics.TUNE_REQUESTS, studyId, Messages.grid(studyId, Messages.chapterGrid(), 2, "corr-restart"));
                await().atMost(Duration.ofSeconds(60)).until(() -> trainer.count() == 2);
                TrainRequest r0 = trainer.received().get(0);
                trainer.succeed(r0, GridStudyIT.valAccuracy(r0.spec()));
                await().atMost(Duration.ofSeconds(30)).until(() -> trainer.count() == 3);
                // Killed once the third dispatch is recorded: this tests a restart, not the at-least-once window
                // between the broker's ack and the commit (a trial sent then would be sent again, same run id).
                await().atMost(Duration.ofSeconds(10)).until(() -> dispatched(studyId) == 3);
                first.kill();
            }
            // While no tuner runs, the two running trials end; nobody may dispatch.
            trainer.received().subList(1, 3).forEach(r -> trainer.succeed(r, GridStudyIT.valAccuracy(r.spec())));
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> trainer.count() == 3);

            // Two fresh processes (the replicas of the next test) know nothing but the rows, and carry on.
            replicaOne = startTuner("replica-one");
            replicaTwo = startTuner("replica-two");
            replicaOne.awaitReady(READY);
            replicaTwo.awaitReady(READY);
            for (int ended = 3; ended < 8; ended++) {
                int expected = Math.min(8, ended + 2);
                await("request " + expected).atMost(Duration.ofSeconds(60)).until(() -> trainer.count() >= expected);
                TrainRequest next = trainer.received().get(ended);
                trainer.succeed(next, GridStudyIT.valAccuracy(next.spec()));
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> "COMPLETED".equals(status(studyId)));
            assertThat(replicaOne.logText() + replicaTwo.logText()).contains("study " + studyId + ": trial 3 dispatched")
                    .doesNotContain("study " + studyId + ": trial 2 dispatched");
            assertEachTrialDispatchedOnce(trainer, 2);
        }
        assertThat(sql.rows("SELECT status, count(*) FROM run WHERE study_id = ? GROUP BY status", studyId))
                .containsExactly(List.of("SUCCEEDED", 8L));
        assertThat(sql.value("SELECT count(*) FROM run_epoch e JOIN run r USING (run_id) WHERE r.study_id = ?", studyId))
                .isEqualTo(16L);
    }

    @Test
    @Order(2)
    void twoReplicasShareStudiesWithoutEverDispatchingATrialTwice() throws IOException {
        assertThat(replicaOne).as("the replicas the first test started").isNotNull();
        String a = Ids.newStudyId();
        String b = Ids.newStudyId();
        // Both replicas' consumers are in the group, so the partitions (and the results) are split.
        int members = 2 * consumersPerTuner();
        await("both replicas in the consumer group").atMost(Duration.ofSeconds(60)).until(() ->
                kafka.getOrCreateAdminClient().describeConsumerGroups(List.of("transferlab-tuner")).all().get()
                        .get("transferlab-tuner").members().size() == members);

        try (FakeTrainer ta = new FakeTrainer(kafka, a, r -> GridStudyIT.valAccuracy(r.spec()));
                FakeTrainer tb = new FakeTrainer(kafka, b, r -> GridStudyIT.valAccuracy(r.spec()))) {
            ta.send(Topics.TUNE_REQUESTS, a, Messages.grid(a, Messages.chapterGrid(), 3, null));
            tb.send(Topics.TUNE_REQUESTS, b, Messages.grid(b, Messages.chapterGrid(), 3, null));
            await().atMost(Duration.ofSeconds(90)).until(() -> "COMPLETED".equals(status(a)) && "COMPLETED".equals(status(b)));
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6))
                    .until(() -> ta.count() == 8 && tb.count() == 8);
            assertEachTrialDispatchedOnce(ta, 3);
            assertEachTrialDispatchedOnce(tb, 3);
        }
        assertThat(replicaOne.logText()).as("replica one dispatched trials of these studies").containsPattern("study (" + a + "|" + b + "): trial \\d dispatched");
        assertThat(replicaTwo.logText()).as("replica two dispatched trials of these studies").containsPattern("study (" + a + "|" + b + "): trial \\d dispatched");
        assertThat(sql.value("SELECT count(*) FROM run WHERE study_id IN (?, ?) AND status = 'SUCCEEDED'", a, b))
                .isEqualTo(16L);
    }

    /**
     * The consumers one tuner puts into group {@code transferlab-tuner}: one per incoming channel of its
     * application.properties (none overrides the group), counted there so that a new channel does not break this.
     */
    private static int consumersPerTuner() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = TunerRestartIT.class.getResourceAsStream("/application.properties")) {
            properties.load(in);
        }
        return (int) properties.stringPropertyNames().stream()
                .filter(k -> k.matches("mp\\.messaging\\.incoming\\.[^.]+\\.topic")).count();
    }
}
