package io.transferlab.inference.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.transferlab.contracts.Topics;
import io.transferlab.inference.service.ModelAliases;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Unpinned requests wait until what {@code vision.models.aliases} held at the start has been read. */
class AliasTopicProgressTest {

    private static final TopicPartition P0 = new TopicPartition(Topics.MODEL_ALIASES, 0);
    private static final TopicPartition P1 = new TopicPartition(Topics.MODEL_ALIASES, 1);

    private final ModelAliases aliases = new ModelAliases();
    private final AliasTopicProgress progress = new AliasTopicProgress(aliases);

    private static MockConsumer<String, String> consumer(long end0, long end1) {
        MockConsumer<String, String> consumer = new MockConsumer<>("earliest");
        consumer.assign(List.of(P0, P1));
        consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
        consumer.updateEndOffsets(Map.of(P0, end0, P1, end1));
        return consumer;
    }

    @Test
    void caughtUpOnceTheLastRecordOfEveryPartitionThatHadRecordsIsRead() {
        progress.onPartitionsAssigned(consumer(3, 1), List.of(P0, P1));
        assertThat(aliases.caughtUp()).isFalse();

        progress.processed(0, 0);
        progress.processed(1, 0);
        progress.processed(0, 1);
        assertThat(aliases.caughtUp()).isFalse();
        progress.processed(0, 2);

        assertThat(aliases.caughtUp()).isTrue();
        assertThat(aliases.awaitCaughtUp(Duration.ZERO)).isTrue();
    }

    @Test
    void anEmptyTopicIsCaughtUpAtTheAssignment() {
        progress.onPartitionsAssigned(consumer(0, 0), List.of(P0, P1));
        assertThat(aliases.caughtUp()).isTrue();
    }

    @Test
    void recordsReadBeforeAnyAssignmentDoNotCount() {
        progress.processed(0, 5);
        assertThat(aliases.caughtUp()).isFalse();
        assertThat(aliases.awaitCaughtUp(Duration.ofMillis(10))).isFalse();
    }
}
