package io.transferlab.trainer.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import io.vertx.mutiny.core.Vertx;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.CoordinatorNotAvailableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The commit strategy alone, over a consumer whose asynchronous commits fail a chosen number of times. */
class RetryingLatestCommitTest {

    private static final TopicPartition P0 = new TopicPartition("vision.train.requests", 0);
    private static final TopicPartition P1 = new TopicPartition("vision.train.requests", 1);

    private final Vertx vertx = Vertx.vertx();
    private final MockConsumer<String, String> kafka = new MockConsumer<>(OffsetResetStrategy.EARLIEST);
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private final List<Map<TopicPartition, OffsetAndMetadata>> attempts = new CopyOnWriteArrayList<>();
    private final List<Map<TopicPartition, OffsetAndMetadata>> succeeded = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        vertx.closeAndAwait();
    }

    @Test
    void aFailedCommitIsRetriedUntilItSucceeds() {
        failuresLeft.set(3);
        RetryingLatestCommit commits = handler();
        commits.partitionsAssigned(List.of(P0));

        commits.offer(P0, 8);

        await().atMost(Duration.ofSeconds(10)).until(() -> commits.pending().isEmpty());
        assertThat(attempts).hasSize(4);
        assertThat(succeeded).containsExactly(Map.of(P0, new OffsetAndMetadata(8)));
    }

    @Test
    void aLaterOffsetOfferedWhileRetryingWins() {
        failuresLeft.set(1);
        RetryingLatestCommit commits = handler();
        commits.partitionsAssigned(List.of(P0));

        commits.offer(P0, 8);
        commits.offer(P0, 5);
        commits.offer(P0, 9);

        await().atMost(Duration.ofSeconds(10)).until(() -> commits.pending().isEmpty());
        assertThat(succeeded.get(succeeded.size() - 1)).isEqualTo(Map.of(P0, new OffsetAndMetadata(9)));
        assertThat(succeeded).noneMatch(commit -> commit.get(P0).offset() < 8);
    }

    @Test
    void aPartitionThisConsumerNoLongerOwnsIsNotRetried() {
        failuresLeft.set(1);
        RetryingLatestCommit commits = handler();
        commits.partitionsAssigned(List.of(P0));

        commits.offer(P1, 4);

        await().atMost(Duration.ofSeconds(5)).until(() -> commits.pending().isEmpty());
        assertThat(attempts).hasSize(1);
        assertThat(succeeded).isEmpty();
    }

    @Test
    void aRevokedPartitionGetsItsPendingOffsetCommittedSynchronously() {
        failuresLeft.set(Integer.MAX_VALUE);
        kafka.assign(List.of(P0, P1));
        RetryingLatestCommit commits = handler();
        commits.partitionsAssigned(List.of(P0, P1));
        commits.offer(P0, 3);
        commits.offer(P1, 7);

        commits.partitionsRevoked(List.of(P1));

        assertThat(kafka.committed(Set.of(P1))).containsEntry(P1, new OffsetAndMetadata(7));
        assertThat(commits.pending()).containsOnlyKeys(P0);
    }

    @Test
    void aGracefulEndCommitsWhatIsPendingOnce() {
        failuresLeft.set(Integer.MAX_VALUE);
        kafka.assign(List.of(P0));
        RetryingLatestCommit commits = handler();
        commits.partitionsAssigned(List.of(P0));
        commits.offer(P0, 12);

        commits.terminate(true);
        commits.offer(P0, 13);

        assertThat(kafka.committed(Set.of(P0))).containsEntry(P0, new OffsetAndMetadata(12));
        assertThat(commits.pending()).isEmpty();
    }

    private RetryingLatestCommit handler() {
        return new RetryingLatestCommit(vertx, consumer(), "train-requests");
    }

    /** commitAsync fails while failuresLeft > 0; commit (synchronous) and unwrap go to a MockConsumer. */
    @SuppressWarnings("unchecked")
    private KafkaConsumer<String, String> consumer() {
        return (KafkaConsumer<String, String>) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] { KafkaConsumer.class }, (proxy, method, args) -> switch (method.getName()) {
                    case "commitAsync" -> {
                        Map<TopicPartition, OffsetAndMetadata> offsets = Map.copyOf(
                                (Map<TopicPartition, OffsetAndMetadata>) args[0]);
                        attempts.add(offsets);
                        if (failuresLeft.getAndDecrement() > 0) {
                            yield Uni.createFrom().failure(new CoordinatorNotAvailableException("loading"));
                        }
                        succeeded.add(offsets);
                        yield Uni.createFrom().voidItem();
                    }
                    case "commit" -> {
                        kafka.commitSync((Map<TopicPartition, OffsetAndMetadata>) args[0]);
                        yield Uni.createFrom().voidItem();
                    }
                    case "unwrap" -> kafka;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
