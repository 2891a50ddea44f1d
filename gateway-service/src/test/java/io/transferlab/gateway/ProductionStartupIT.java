package io.transferlab.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.transferlab.testsupport.FreePorts;
import io.transferlab.testsupport.QuarkusProcess;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The production build refuses to start when no API key is configured, and says how to configure one. */
class ProductionStartupIT {

    @Test
    void refusesToStartWithoutKeys() {
        try (QuarkusProcess gateway = QuarkusProcess.of("gateway-service").name("no-keys-gateway")
                .jvmOptions("-Xmx128m", "-XX:TieredStopAtLevel=1")
                .env("KAFKA_BOOTSTRAP_SERVERS", "localhost:" + FreePorts.next())
                .unsetEnv("TRANSFERLAB_GATEWAY_SECURITY_API_KEYS", "TRANSFERLAB_GATEWAY_SECURITY_API_KEYS_FILE")
                .log(Path.of("target/no-keys-gateway.log"))
                .start()) {
            assertThat(gateway.awaitExit(Duration.ofSeconds(90))).as("the gateway exits by itself, with an error")
                    .isNotZero();
            assertThat(gateway.logText()).contains("no API key is configured")
                    .contains("TRANSFERLAB_GATEWAY_SECURITY_API_KEYS");
        }
    }
}
