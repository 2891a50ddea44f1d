package io.transferlab.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.util.Map;

/**
 * Gives a {@code @QuarkusTest} a real Kafka broker: the one named by {@code KAFKA_BOOTSTRAP_SERVERS}, else a
 * KRaft broker on free ports started once per test JVM and stopped when the JVM exits. A field
 * {@code @InjectKafkaCompanion KafkaCompanion kafka} of the test gets a companion on that broker, closed when the
 * resource stops (as Quarkus's own {@code KafkaCompanionResource} does it).
 */
public class KafkaResource implements QuarkusTestResourceLifecycleManager {

    private static KafkaBroker shared;
    private KafkaCompanion companion;

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
    public synchronized void inject(TestInjector testInjector) {
        if (companion == null) {
            companion = new KafkaCompanion(bootstrapServers());
        }
        testInjector.injectIntoFields(companion,
                new TestInjector.AnnotatedAndMatchesType(InjectKafkaCompanion.class, KafkaCompanion.class));
    }

    @Override
    public synchronized void stop() {
        // The broker is shared for the whole JVM: Quarkus restarts between test classes must not pay for a new one.
        if (companion != null) {
            companion.close();
            companion = null;
        }
    }
}
