package io.transferlab.tuner;

import static org.assertj.core.api.Assertions.assertThat;

import io.transferlab.testsupport.FreePorts;
import io.transferlab.testsupport.PostgresResource;
import io.transferlab.testsupport.QuarkusProcess;
import io.transferlab.testsupport.Sql;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The packaged tuner (prod profile) refuses to start with the repository's default database password and names the
 * setting to change. (The test PostgreSQL trusts local connections, so the password itself would work.)
 */
class ProductionStartupIT {

    @Test
    void refusesToStartWithTheDefaultDatabasePassword() {
        String database = "tuner_prod_start_" + System.nanoTime();
        Sql.shared().update("CREATE DATABASE " + database);
        PostgresResource.Connection c = PostgresResource.connection();
        String url = c.jdbcUrl().replaceFirst("^(jdbc:postgresql://[^/]+/)[^?]*", "$1" + database);
        try (QuarkusProcess tuner = QuarkusProcess.of("tuner-service").name("default-password-tuner")
                .jvmOptions("-Xmx256m", "-XX:TieredStopAtLevel=1")
                .env("KAFKA_BOOTSTRAP_SERVERS", "localhost:" + FreePorts.next())
                .env("QUARKUS_DATASOURCE_JDBC_URL", url)
                .env("QUARKUS_DATASOURCE_USERNAME", c.user())
                .env("QUARKUS_DATASOURCE_PASSWORD", "transferlab")
                .env("TRANSFERLAB_TUNER_SECURITY_API_KEYS", "gateway:" + "ab".repeat(32) + ":read")
                .log(Path.of("target/default-password-tuner.log"))
                .start()) {
            assertThat(tuner.awaitExit(Duration.ofSeconds(90))).as("the tuner exits by itself, with an error")
                    .isNotZero();
            assertThat(tuner.logText()).contains("DevelopmentCredentialsException")
                    .contains("set QUARKUS_DATASOURCE_PASSWORD");
        }
    }
}
