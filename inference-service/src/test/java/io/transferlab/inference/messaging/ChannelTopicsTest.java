package io.transferlab.inference.messaging;

import io.transferlab.testsupport.ChannelTopics;
import org.junit.jupiter.api.Test;

/** Every topic application.properties names is one of {@code Topics} (or its dead-letter topic). */
class ChannelTopicsTest {

    @Test
    void everyConfiguredTopicIsATopicOfTheContracts() {
        ChannelTopics.assertEveryConfiguredTopicIsInTheContracts();
    }
}
