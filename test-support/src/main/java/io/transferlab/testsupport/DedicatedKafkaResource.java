package io.transferlab.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * A Kafka broker of the test class's own, for tests that stop and restart it (outages). Use it with
 * {@code @WithTestResource(DedicatedKafkaResource.class)}; {@link #broker()} hands the test the broker.
 */
public class DedicatedKafkaResource implements QuarkusTestResourceLifecycleManager {

    private static volatile KafkaBroker current;

    public static KafkaBroker broker() {
        if (current == null) {
            throw new IllegalStateException("DedicatedKafkaResource has not started a broker for this test");
        }
        return current;
    }

    @Override
    public Map<String, String> start() {
        current = KafkaBroker.onFreePorts(4).start();
        return Map.of("kafka.bootstrap.servers", current.bootstrapServers());
    }

    @Override
    public void stop() {
        if (current != null) {
            current.stop();
            current = null;
        }
    }
}
