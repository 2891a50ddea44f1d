package io.transferlab.trainer.messaging;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.IncomingKafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaConnectorIncomingConfiguration;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import io.smallrye.reactive.messaging.kafka.commit.KafkaCommitHandler;
import io.transferlab.contracts.retry.Backoff;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * Commit strategy {@code latest-retrying}: each acknowledged record's offset is committed at once, as SmallRye's
 * {@code latest} does, but a commit that fails is tried again until it succeeds or the partition is no longer this
 * consumer's.
 * <p>
 * {@code latest} sends one asynchronous commit and only logs its failure. A trainer acknowledges a request when its
 * result is published, and after a broker outage that is the very moment the group coordinator may still be
 * loading: the commit failed, the request stayed uncommitted and was delivered again at the next rebalance (seen in
 * CI as BrokerOutageIT's commit never arriving). Here the offset stays pending and is retried with a growing pause
 * (up to {@link #MAX_PAUSE}); a partition being revoked gets one synchronous commit of what is pending, Kafka's
 * recommended place for it; what still cannot be committed is left to redelivery, which the trainer answers from
 * its run ledger without training again.
 */
public class RetryingLatestCommit implements KafkaCommitHandler {

    static final Duration FIRST_PAUSE = Duration.ofMillis(500);
    static final Duration MAX_PAUSE = Duration.ofSeconds(10);
    private static final Duration CLOSING_COMMIT_TIMEOUT = Duration.ofSeconds(5);
    private static final Logger LOG = Logger.getLogger(RetryingLatestCommit.class);

    private final Vertx vertx;
    private final KafkaConsumer<?, ?> consumer;
    private final String channel;
    /** Next offset to commit per partition, until a commit of exactly that offset succeeds. Guarded by this. */
    private final Map<TopicPartition, Long> pending = new HashMap<>();
    private final Set<TopicPartition> assigned = new HashSet<>();
    private boolean retryScheduled;
    private final Backoff backoff = new Backoff(FIRST_PAUSE, MAX_PAUSE);
    private boolean terminated;

    RetryingLatestCommit(Vertx vertx, KafkaConsumer<?, ?> consumer, String channel) {
        this.vertx = vertx;
        this.consumer = consumer;
        this.channel = channel;
    }

    @Override
    public <K, V> Uni<Void> handle(IncomingKafkaRecord<K, V> record) {
        offer(new TopicPartition(record.getTopic(), record.getPartition()), record.getOffset() + 1);
        return Uni.createFrom().voidItem();
    }

    /** Records that everything before {@code nextOffset} is processed, and commits it. */
    void offer(TopicPartition partition, long nextOffset) {
        synchronized (this) {
            if (terminated) {
                return;
            }
            pending.merge(partition, nextOffset, Math::max);
        }
        commitPending();
    }

    /** The offsets not yet known to be committed (for tests and logs). */
    synchronized Map<TopicPartition, Long> pending() {
        return Map.copyOf(pending);
    }

    private void commitPending() {
        Map<TopicPartition, OffsetAndMetadata> attempt = snapshot();
        if (attempt.isEmpty()) {
            return;
        }
        consumer.commitAsync(attempt).subscribe().with(ok -> committed(attempt), failure -> failed(attempt, failure));
    }

    private synchronized Map<TopicPartition, OffsetAndMetadata> snapshot() {
        Map<TopicPartition, OffsetAndMetadata> attempt = new HashMap<>();
        pending.forEach((partition, offset) -> attempt.put(partition, new OffsetAndMetadata(offset)));
        return attempt;
    }

    private void committed(Map<TopicPartition, OffsetAndMetadata> attempt) {
        synchronized (this) {
            // a later offset offered meanwhile stays pending for its own commit
            attempt.forEach((partition, offset) -> pending.remove(partition, offset.offset()));
            backoff.reset();
        }
    }

    private void failed(Map<TopicPartition, OffsetAndMetadata> attempt, Throwable failure) {
        Duration wait;
        synchronized (this) {
            if (terminated || pending.isEmpty()) {
                return;
            }
            // only partitions this consumer still owns are worth retrying; the others' next owner redelivers
            pending.keySet().removeIf(partition -> !assigned.contains(partition));
            if (pending.isEmpty() || retryScheduled) {
                return;
            }
            retryScheduled = true;
            wait = backoff.next();
        }
        LOG.warnf("channel %s: commit of %s failed (%s), retrying in %d ms", channel, attempt.values(),
                failure.toString(), wait.toMillis());
        vertx.setTimer(wait.toMillis(), id -> {
            synchronized (this) {
                retryScheduled = false;
            }
            commitPending();
        });
    }

    @Override
    public void partitionsAssigned(Collection<TopicPartition> partitions) {
        synchronized (this) {
            assigned.addAll(partitions);
        }
    }

    /** Runs on the polling thread inside the rebalance, where a synchronous commit is allowed. */
    @Override
    public void partitionsRevoked(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> last = new HashMap<>();
        synchronized (this) {
            assigned.removeAll(partitions);
            for (TopicPartition partition : partitions) {
                Long offset = pending.remove(partition);
                if (offset != null) {
                    last.put(partition, new OffsetAndMetadata(offset));
                }
            }
        }
        if (!last.isEmpty()) {
            try {
                consumer.unwrap().commitSync(last, CLOSING_COMMIT_TIMEOUT);
            } catch (RuntimeException e) {
                LOG.warnf("channel %s: commit of %s on revocation failed (%s); the records will be delivered again",
                        channel, last.values(), e.toString());
            }
        }
    }

    @Override
    public void terminate(boolean graceful) {
        Map<TopicPartition, OffsetAndMetadata> last;
        synchronized (this) {
            terminated = true;
            last = snapshot();
            pending.clear();
        }
        if (graceful && !last.isEmpty()) {
            try {
                consumer.commit(last).await().atMost(CLOSING_COMMIT_TIMEOUT);
            } catch (RuntimeException e) {
                LOG.warnf("channel %s: last commit of %s failed (%s); the records will be delivered again", channel,
                        last.values(), e.toString());
            }
        }
    }

    @ApplicationScoped
    @Identifier("latest-retrying")
    public static class Factory implements KafkaCommitHandler.Factory {

        @Override
        public RetryingLatestCommit create(KafkaConnectorIncomingConfiguration config, Vertx vertx,
                KafkaConsumer<?, ?> consumer, BiConsumer<Throwable, Boolean> reportFailure) {
            return new RetryingLatestCommit(vertx, consumer, config.getChannel());
        }
    }
}
