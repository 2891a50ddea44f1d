package io.transferlab.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Gives a {@code @QuarkusTest} a real Kafka broker: the one named by {@code KAFKA_BOOTSTRAP_SERVERS}, else a
 * KRaft broker on free ports started once per test JVM and stopped when the JVM exits.
 */
public class KafkaResource implements QuarkusTestResourceLifecycleManager {

    private static KafkaBroker shared;

    /** The bootstrap servers every test of this JVM talks to. */
    public static synchronized String bootstrapServers() {
        String external = System.getenv("KAFKA_BOOTSTRAP_SERVERS");
        if (external != null && !external.isBlank()) {
            return external;
        }
        if (shared == null) {
            shared = KafkaBroker.onFreePorts(4).start();
            KafkaBroker broker = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(broker::stop, "kafka-test-broker-stop"));
        }
        return shared.bootstrapServers();
    }

    @Override
    public Map<String, String> start() {
        return Map.of("kafka.bootstrap.servers", bootstrapServers());
    }

    @Override
    public void stop() {
        // Shared for the whole JVM: Quarkus restarts between test classes must not pay for a new broker.
    }
}
