package io.transferlab.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import io.transferlab.contracts.Topics;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The Kafka topics a service's {@code application.properties} names: every channel's {@code topic}, its
 * {@code dead-letter-queue.topic} and its {@code reply.topic}, in every profile. A service's test compares them
 * with {@code Topics}, so a typo in a topic name fails a unit test instead of creating a topic nobody reads.
 */
public final class ChannelTopics {

    private static final Pattern TOPIC_KEY = Pattern.compile("(%[\\w-]+\\.)?mp\\.messaging\\.(incoming|outgoing)\\.[^.]+\\."
            + "(topic|dead-letter-queue\\.topic|reply\\.topic)");

    private ChannelTopics() {
    }

    /**
     * Fails unless {@code application.properties} names at least one topic and every topic it names is one of
     * {@link Topics}, a dead-letter topic of one, or the tuner's request-log dead-letter topic.
     */
    public static void assertEveryConfiguredTopicIsInTheContracts() {
        List<String> known = Stream.of(Topics.all().stream(), Topics.all().stream().map(Topics::deadLetter),
                Stream.of(Topics.TRAIN_REQUESTS_TUNER_DLQ)).flatMap(t -> t).toList();
        Map<String, String> configured = inApplicationProperties();
        assertThat(configured).as("topics in application.properties").isNotEmpty();
        assertThat(configured).allSatisfy((key, topic) -> assertThat(known).as(key).contains(topic));
    }

    /** Property key to topic, from the {@code application.properties} on the classpath. */
    public static Map<String, String> inApplicationProperties() {
        Properties properties = new Properties();
        try (InputStream in = Thread.currentThread().getContextClassLoader()
                .getResourceAsStream("application.properties")) {
            if (in == null) {
                throw new IllegalStateException("no application.properties on the classpath");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> topics = new TreeMap<>();
        properties.stringPropertyNames().stream()
                .filter(key -> TOPIC_KEY.matcher(key).matches())
                .forEach(key -> topics.put(key, properties.getProperty(key).trim()));
        return topics;
    }
}
