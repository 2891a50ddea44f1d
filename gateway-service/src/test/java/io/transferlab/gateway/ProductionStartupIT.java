package io.transferlab.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.transferlab.testsupport.FreePorts;
import io.transferlab.testsupport.QuarkusProcess;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The production build refuses to start when no API key is configured, or with the README's development key, and
 * says which setting to change.
 */
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

    @Test
    void refusesToStartWithTheDevelopmentKey() {
        try (QuarkusProcess gateway = QuarkusProcess.of("gateway-service").name("dev-key-gateway")
                .jvmOptions("-Xmx128m", "-XX:TieredStopAtLevel=1")
                .env("KAFKA_BOOTSTRAP_SERVERS", "localhost:" + FreePorts.next())
                .env("TRANSFERLAB_GATEWAY_SECURITY_API_KEYS", "mine:" + "ab".repeat(32) + ":classify,"
                        + "dev:703e70859cf2fb461b90a5f741f34ca8d81111b1886d1c81f63d1231101894b7:classify+train")
                .unsetEnv("TRANSFERLAB_GATEWAY_SECURITY_API_KEYS_FILE")
                .log(Path.of("target/dev-key-gateway.log"))
                .start()) {
            assertThat(gateway.awaitExit(Duration.ofSeconds(90))).as("the gateway exits by itself, with an error")
                    .isNotZero();
            assertThat(gateway.logText()).contains("DevelopmentCredentialsException")
                    .contains("API key 'dev' is the README's development key")
                    .contains("TRANSFERLAB_GATEWAY_SECURITY_API_KEYS");
        }
    }
}
