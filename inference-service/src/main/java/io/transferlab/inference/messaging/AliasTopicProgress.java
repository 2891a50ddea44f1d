package io.transferlab.inference.messaging;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import io.transferlab.inference.service.ModelAliases;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * Tells when this replica has read {@code vision.models.aliases} up to where the topic ended when its partitions
 * were assigned (the channel's rebalance listener, {@code consumer-rebalance-listener.name}): then every alias set
 * before the start is applied and {@link ModelAliases#markCaughtUp()} lets unpinned requests through. The end
 * offsets are read on the consumer's own thread, in the assignment callback, before any record of those
 * partitions is handed out.
 */
@ApplicationScoped
@Identifier(AliasTopicProgress.NAME)
public class AliasTopicProgress implements KafkaConsumerRebalanceListener {

    public static final String NAME = "model-aliases-progress";
    private static final Logger LOG = Logger.getLogger(AliasTopicProgress.class);

    private final ModelAliases aliases;
    /** Per partition still being read: the offset it ended at when assigned. */
    private final Map<Integer, Long> remaining = new HashMap<>();
    private boolean assigned;

    public AliasTopicProgress(ModelAliases aliases) {
        this.aliases = aliases;
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        if (aliases.caughtUp() || partitions.isEmpty()) {
            return;
        }
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        synchronized (this) {
            for (TopicPartition tp : partitions) {
                long end = ends.getOrDefault(tp, 0L);
                if (consumer.position(tp) < end) {
                    remaining.put(tp.partition(), end);
                } else {
                    remaining.remove(tp.partition());
                }
            }
            assigned = true;
            LOG.debugf("model aliases: %d partition(s) assigned, %d with records to read first", partitions.size(),
                    remaining.size());
            checkCaughtUp();
        }
    }

    /** The record at {@code offset} of {@code partition} was applied (or dead-lettered). */
    public synchronized void processed(int partition, long offset) {
        Long end = remaining.get(partition);
        if (end != null && offset + 1 >= end) {
            remaining.remove(partition);
            checkCaughtUp();
        }
    }

    private void checkCaughtUp() {
        if (assigned && remaining.isEmpty()) {
            aliases.markCaughtUp();
        }
    }
}
