package io.transferlab.tuner.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.transferlab.contracts.Topics;
import io.transferlab.testsupport.ChannelTopics;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every topic application.properties names is one of {@link Topics} (or its dead-letter topic). */
class ChannelTopicsTest {

    @Test
    void everyConfiguredTopicIsATopicOfTheContracts() {
        List<String> known = Stream.concat(Stream.concat(Topics.all().stream(),
                Topics.all().stream().map(Topics::deadLetter)), Stream.of(Topics.TRAIN_REQUESTS_TUNER_DLQ)).toList();
        Map<String, String> configured = ChannelTopics.inApplicationProperties();
        assertThat(configured).isNotEmpty();
        assertThat(configured).allSatisfy((key, topic) -> assertThat(known).as(key).contains(topic));
    }
}
