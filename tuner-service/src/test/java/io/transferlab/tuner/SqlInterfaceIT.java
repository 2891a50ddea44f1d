package io.transferlab.tuner;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.transferlab.contracts.Ids;
import io.transferlab.contracts.Topics;
import io.transferlab.contracts.json.Json;
import io.transferlab.contracts.train.TrainRequest;
import io.transferlab.contracts.tune.Flags;
import io.transferlab.testsupport.KafkaResource;
import io.transferlab.testsupport.PostgresResource;
import io.transferlab.testsupport.RepoPaths;
import io.transferlab.testsupport.Sql;
import io.transferlab.tuner.support.FakeTrainer;
import io.transferlab.tuner.support.Messages;
import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * SQL is a user interface: the queries of docs/sql.md, read from the file and run exactly as written (psql
 * variables bound as parameters) by a read-only login created the way the document says, against a real study.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
class SqlInterfaceIT {

    private static final Pattern SQL_BLOCK = Pattern.compile("```sql\\n-- name: ([a-z-]+)\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern PSQL_VARIABLE = Pattern.compile(":'([a-z_]+)'");

    @InjectKafkaCompanion
    KafkaCompanion kafka;

    private final Sql admin = Sql.shared();

    static Map<String, String> documentedQueries() throws IOException {
        String doc = Files.readString(RepoPaths.root().resolve("docs/sql.md"));
        Map<String, String> queries = new LinkedHashMap<>();
        Matcher m = SQL_BLOCK.matcher(doc);
        while (m.find()) {
            queries.put(m.group(1), m.group(2).trim());
        }
        return queries;
    }

    /** Runs a documented query: each psql variable {@code :'name'} becomes a bound parameter. */
    static List<List<Object>> run(Connection c, String text, Map<String, String> variables) throws SQLException {
        List<Object> values = new ArrayList<>();
        Matcher m = PSQL_VARIABLE.matcher(text);
        StringBuilder sql = new StringBuilder();
        while (m.find()) {
            assertThat(variables).as("value for psql variable " + m.group(1)).containsKey(m.group(1));
            values.add(variables.get(m.group(1)));
            m.appendReplacement(sql, "?");
        }
        m.appendTail(sql);
        return Sql.query(c, sql.toString().replaceAll(";\\s*$", ""), values.toArray());
    }

    @Test
    void theDocumentedQueriesAnswerAsAReadOnlyLogin() throws Exception {
        String studyId = Ids.newStudyId();
        Map<String, List<Object>> grid = new LinkedHashMap<>();
        grid.put("denseUnits", List.of(256, 512));
        String best;
        try (FakeTrainer trainer = new FakeTrainer(kafka, studyId)) {
            kafka.produceStrings().fromRecords(new ProducerRecord<>(Topics.TUNE_REQUESTS, studyId,
                    Json.write(Messages.grid(studyId, grid, 2, null, "alice", true)))).awaitCompletion();
            await().atMost(Duration.ofSeconds(30)).until(() -> trainer.count() == 2);
            // every trial runs as its study's owner, with the study's admin role
            assertThat(trainer.received()).allSatisfy(r -> {
                assertThat(r.owner()).isEqualTo("alice");
                assertThat(r.ownerIsAdmin()).isTrue();
            });
            best = null;
            for (TrainRequest r : trainer.received()) {
                boolean big = r.spec().denseUnits() == 512;
                trainer.succeed(r, big ? 0.85 : 0.80);
                best = big ? r.runId() : best;
            }
        }
        await().atMost(Duration.ofSeconds(30)).until(() ->
                "COMPLETED".equals(admin.value("SELECT status FROM study WHERE study_id = ?", studyId)));

        Map<String, String> queries = documentedQueries();
        assertThat(queries).containsKeys("create-login", "studies", "best-run", "runs-by-val-accuracy",
                "per-class-accuracy", "accuracy-per-epoch", "study-curves", "confusion-matrix", "latest-runs",
                "runs-of-a-key", "model-owners", "production-versions");
        // a model whose production alias names its first version (rows as the tuner writes them)
        String aliased = "sql-aliased-" + System.nanoTime();
        for (int v = 1; v <= 2; v++) {
            admin.update("INSERT INTO model (model_id, version, test_accuracy, card) VALUES (?, ?, ?, '{}')",
                    aliased, v, v == 1 ? 0.91 : 0.93);
        }
        admin.update("INSERT INTO model_aliases (model_id, alias, version, changed_by, changed_at) "
                + "VALUES (?, 'production', 1, 'release-bot', now())", aliased);

        // The login, created exactly as documented (roles are cluster-wide: drop a leftover first).
        try (Connection c = admin.connect(); Statement st = c.createStatement()) {
            st.execute("DROP ROLE IF EXISTS alice");
            st.execute(queries.get("create-login"));
        }
        Map<String, String> vars = Map.of("study", studyId, "run", best, "owner", "alice");
        try (Connection alice = admin.as("alice", "change-me").connect()) {
            assertThat(run(alice, queries.get("studies"), vars)).anySatisfy(row -> assertThat(row.get(0)).isEqualTo(studyId));

            List<List<Object>> bestRun = run(alice, queries.get("best-run"), vars);
            assertThat(bestRun).hasSize(1);
            assertThat(bestRun.get(0).subList(0, 3)).containsExactly(best, 0.85, 0.85);
            assertThat(bestRun.get(0).get(4)).isEqualTo(512);

            List<List<Object>> table = run(alice, queries.get("runs-by-val-accuracy"), vars);
            assertThat(table).extracting(row -> row.get(2)).containsExactly(0.85, 0.80);
            assertThat(table).extracting(row -> row.get(5)).containsExactly(512, 256);

            assertThat(run(alice, queries.get("per-class-accuracy"), vars))
                    .containsExactly(List.of(0, "0", 90.0, 50), List.of(1, "1", 84.0, 50));
            List<List<Object>> curve = run(alice, queries.get("accuracy-per-epoch"), vars);
            assertThat(curve).extracting(row -> row.get(0)).containsExactly(1, 2);
            assertThat(curve).extracting(row -> row.get(3)).containsExactly(0.75, 0.85);
            assertThat(run(alice, queries.get("study-curves"), vars)).hasSize(4);
            assertThat(run(alice, queries.get("confusion-matrix"), vars))
                    .containsExactly(List.of(0, 0, 45), List.of(0, 1, 8), List.of(1, 0, 5), List.of(1, 1, 42));
            assertThat(run(alice, queries.get("latest-runs"), vars)).isNotEmpty().hasSizeLessThanOrEqualTo(20);
            assertThat(run(alice, queries.get("runs-of-a-key"), vars)).extracting(row -> row.get(0))
                    .contains(best).allSatisfy(runId -> assertThat(admin.value(
                            "SELECT owner FROM run WHERE run_id = ?", runId)).isEqualTo("alice"));
            run(alice, queries.get("model-owners"), vars); // it runs; its rows are the other tests' models
            assertThat(run(alice, queries.get("production-versions"), vars))
                    .anySatisfy(row -> assertThat(row.subList(0, 4)).containsExactly(aliased, 1, 2, 0.91));

            // Read-only: every write is refused.
            for (String write : List.of("UPDATE run SET status = 'FAILED' WHERE run_id = '" + best + "'",
                    "DELETE FROM study WHERE study_id = '" + studyId + "'",
                    "INSERT INTO model (model_id, version, card) VALUES ('m', 1, '{}')")) {
                try (Statement st = alice.createStatement()) {
                    assertThatThrownBy(() -> st.executeUpdate(write)).isInstanceOf(SQLException.class)
                            .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
                }
            }
        }
        assertThat(admin.value("SELECT status FROM run WHERE run_id = ?", best)).isEqualTo("SUCCEEDED");
        assertThat(admin.value("SELECT owner FROM study_overview WHERE study_id = ?", studyId)).isEqualTo("alice");
        assertThat(given().get("/api/v1/studies/{id}", studyId).then().statusCode(200).extract().<String>path("owner"))
                .isEqualTo("alice");
    }

    @Test
    void everyTableViewAndColumnIsCommented() {
        assertThat(admin.rows("""
                SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'v') AND c.relname <> 'flyway_schema_history'
                  AND obj_description(c.oid, 'pg_class') IS NULL
                """)).as("tables and views without a comment").isEmpty();
        assertThat(admin.rows("""
                SELECT c.relname || '.' || a.attname FROM pg_attribute a
                JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'v') AND c.relname <> 'flyway_schema_history'
                  AND a.attnum > 0 AND NOT a.attisdropped AND col_description(c.oid, a.attnum) IS NULL
                ORDER BY 1
                """)).as("columns without a comment").isEmpty();
        assertThat(admin.value("SELECT shobj_description(oid, 'pg_authid') FROM pg_roles WHERE rolname = 'transferlab_reader'"))
                .asString().contains("Read-only");
    }

    @Test
    void lsRunsHasAFlagColumnForEveryFlagAndTheMetricsOfTfruns() {
        List<Object> columns = admin.rows("""
                SELECT column_name FROM information_schema.columns
                WHERE table_schema = current_schema() AND table_name = 'ls_runs'
                """).stream().map(r -> r.get(0)).toList();
        assertThat(columns).containsAll(Flags.NAMES.stream().map(Flags::column).toList());
        assertThat(columns).contains("metric_loss", "metric_accuracy", "metric_val_loss", "metric_val_accuracy",
                "metric_test_loss", "metric_test_accuracy", "study_rank", "run_id", "study_id");
    }
}
