package io.transferlab.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.transferlab.testsupport.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The production build refuses to start when no API key is configured, and says how to configure one. */
class ProductionStartupIT {

    @Test
    void refusesToStartWithoutKeys() throws Exception {
        Path jar = Path.of("target/quarkus-app/quarkus-run.jar");
        assertThat(jar).exists();
        Path log = Path.of("target/no-keys-gateway.log");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-XX:TieredStopAtLevel=1", "-jar", jar.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("QUARKUS_HTTP_PORT", String.valueOf(FreePorts.next()));
        pb.environment().put("KAFKA_BOOTSTRAP_SERVERS", "localhost:" + FreePorts.next());
        pb.environment().remove("TRANSFERLAB_GATEWAY_SECURITY_API_KEYS");
        pb.environment().remove("TRANSFERLAB_GATEWAY_SECURITY_API_KEYS_FILE");
        Process p = pb.start();
        try {
            assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("the gateway exits by itself").isTrue();
            assertThat(p.exitValue()).isNotZero();
            assertThat(Files.readString(log)).contains("no API key is configured")
                    .contains("TRANSFERLAB_GATEWAY_SECURITY_API_KEYS");
        } finally {
            p.destroyForcibly();
        }
    }
}
