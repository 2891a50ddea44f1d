package io.transferlab.tuner.support;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads topics from the beginning with a plain consumer of its own group, for checks on dead-letter topics. (A
 * KafkaCompanion task watching a dead-letter topic was once seen failing with the exception the service's handler
 * had thrown in the same JVM; a plain consumer polled under Awaitility has no such plumbing.)
 */
public final class TopicReader implements AutoCloseable {

    private final KafkaConsumer<String, String> consumer;
    private final List<ConsumerRecord<String, String>> seen = new ArrayList<>();

    public TopicReader(String bootstrapServers, List<String> topics) {
        Properties p = new Properties();
        p.putAll(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "topic-reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()));
        consumer = new KafkaConsumer<>(p);
        consumer.subscribe(topics);
    }

    private List<ConsumerRecord<String, String>> matching(Predicate<ConsumerRecord<String, String>> which) {
        consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
        return seen.stream().filter(which).toList();
    }

    /** Waits for the first record that matches. */
    public ConsumerRecord<String, String> awaitOne(Predicate<ConsumerRecord<String, String>> which, Duration atMost) {
        await().atMost(atMost).until(() -> !matching(which).isEmpty());
        return matching(which).get(0);
    }

    /** Reads for {@code during} and checks that no record matches. */
    public void assertNone(Predicate<ConsumerRecord<String, String>> which, Duration during) {
        await().during(during).atMost(during.plusSeconds(5)).until(() -> matching(which).isEmpty());
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(2));
    }
}
