package io.transferlab.gateway.messaging;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.transferlab.contracts.Topics;
import io.transferlab.contracts.classify.ClassifyResult;
import io.transferlab.contracts.json.Json;
import io.transferlab.contracts.json.MessageFormatException;
import io.transferlab.gateway.service.ClassificationStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Reads every record of {@code vision.classify.results} on this replica and hands each reply to the request that
 * waits for it (by its {@code REPLY_CORRELATION_ID} header), and every result to the {@link ClassificationStore}
 * (so a poll that lands on any replica finds it).
 *
 * <p>Why not SmallRye's Kafka request-reply emitter (used until this class): it registers a request's correlation
 * id only once the broker has acknowledged the request, so a fast responder's reply could arrive first and was
 * dropped as unknown; and its reply consumer was a consumer group per instance starting at {@code latest}, whose
 * end offset is looked up lazily and which a rebalance resets. Here:
 * <ul>
 * <li>the partitions are taken by explicit assignment ({@code assign}, no consumer group, nothing committed, no
 * state left on the broker by a restart);</li>
 * <li>the end of every partition is resolved ({@code seekToEnd} then {@code position}) before this replica turns
 * ready, so every reply written after readiness is read;</li>
 * <li>a caller registers its correlation id BEFORE its request is sent ({@link #expect});</li>
 * <li>partitions added to the topic later are picked up on the next metadata refresh and read from their
 * beginning (they hold nothing older than that refresh).</li>
 * </ul>
 * The same loop probes the broker ({@code endOffsets} with a short timeout) so the gateway knows when it is away
 * and can refuse classifications at once instead of letting them wait for a reply that cannot come.
 */
@ApplicationScoped
public class ClassifyReplies {

    private static final Logger LOG = Logger.getLogger(ClassifyReplies.class);

    private final String topic;
    private final Map<String, Object> kafka;
    private final ClassificationStore store;
    private final Duration probeEvery;
    private final Duration probeTimeout;
    private final Map<String, CompletableFuture<ClassifyResult>> waiting = new ConcurrentHashMap<>();
    private volatile boolean positioned;
    private volatile boolean brokerReachable;
    private volatile boolean running = true;
    private volatile KafkaConsumer<String, String> consumer;
    private Thread loop;

    public ClassifyReplies(@Identifier("default-kafka-broker") Map<String, Object> kafka, ClassificationStore store,
            @ConfigProperty(name = "transferlab.gateway.classify.replies-topic",
                    defaultValue = Topics.CLASSIFY_RESULTS) String topic,
            @ConfigProperty(name = "transferlab.gateway.classify.broker-probe-interval", defaultValue = "1s")
            Duration probeEvery,
            @ConfigProperty(name = "transferlab.kafka.health-timeout", defaultValue = "3s") Duration probeTimeout) {
        this.kafka = kafka;
        this.store = store;
        this.topic = topic;
        this.probeEvery = probeEvery;
        this.probeTimeout = probeTimeout;
    }

    /** The topic replies are read from (the {@code REPLY_TOPIC} header of every request). */
    public String topic() {
        return topic;
    }

    /** Every partition's end is known: a reply written from now on will be read. */
    public boolean positioned() {
        return positioned;
    }

    /** The last probe of the broker answered (a failed probe turns this false within its timeout). */
    public boolean brokerReachable() {
        return brokerReachable;
    }

    /**
     * Registers a correlation id; call it before the request is sent. The future completes with the reply; the
     * caller removes it with {@link #forget} when it gives up.
     */
    public CompletableFuture<ClassifyResult> expect(String correlationId) {
        CompletableFuture<ClassifyResult> reply = new CompletableFuture<>();
        waiting.put(correlationId, reply);
        return reply;
    }

    public void forget(String correlationId) {
        waiting.remove(correlationId);
    }

    /** Replies this replica waits for right now. */
    public int waitingCount() {
        return waiting.size();
    }

    void onStart(@Observes StartupEvent start) {
        loop = new Thread(this::run, "classify-replies");
        loop.setDaemon(true);
        loop.start();
    }

    void onStop(@Observes ShutdownEvent stop) {
        running = false;
        KafkaConsumer<String, String> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        try {
            if (loop != null) {
                loop.join(5000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Map<String, Object> consumerConfig() {
        Map<String, Object> config = new HashMap<>();
        // the shared kafka.* settings (bootstrap servers, security) as every channel gets them; consumer keys only
        kafka.forEach((k, v) -> {
            if (ConsumerConfig.configNames().contains(k)) {
                config.put(k, v);
            }
        });
        config.remove(ConsumerConfig.GROUP_ID_CONFIG); // explicit assignment: no group, nothing on the broker
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "gateway-classify-replies");
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
        // new partitions of the reply topic are noticed within this time
        config.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 5000);
        config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) probeTimeout.toMillis());
        config.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return config;
    }

    private void run() {
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(consumerConfig())) {
            consumer = c;
            long nextProbe = 0;
            while (running) {
                try {
                    if (System.nanoTime() >= nextProbe) {
                        nextProbe = System.nanoTime() + probeEvery.toNanos();
                        refresh(c);
                    }
                    if (c.assignment().isEmpty()) {
                        sleepQuietly(probeEvery);
                        continue;
                    }
                    for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(100))) {
                        dispatch(r);
                    }
                } catch (WakeupException e) {
                    // shutting down
                } catch (org.apache.kafka.common.errors.TimeoutException e) {
                    if (brokerReachable) {
                        LOG.warnf("classification replies: the broker does not answer (%s); classifications are "
                                + "refused until it does", e.getMessage());
                    }
                    brokerReachable = false;
                } catch (RuntimeException e) {
                    brokerReachable = false;
                    LOG.errorf(e, "classification replies: reading %s failed; retrying", topic);
                    sleepQuietly(probeEvery);
                }
            }
        } finally {
            positioned = false;
            brokerReachable = false;
        }
    }

    /**
     * Assigns partitions not yet read (at start: all of them, at their end; later: new ones, at their beginning),
     * then probes the broker with a real round trip ({@code endOffsets}).
     */
    private void refresh(KafkaConsumer<String, String> c) {
        List<PartitionInfo> infos = c.partitionsFor(topic, probeTimeout);
        Set<TopicPartition> all = new HashSet<>();
        if (infos != null) {
            infos.forEach(p -> all.add(new TopicPartition(topic, p.partition())));
        }
        Set<TopicPartition> current = c.assignment();
        if (!all.isEmpty() && !current.containsAll(all)) {
            List<TopicPartition> added = new ArrayList<>(all);
            added.removeAll(current);
            c.assign(all);
            if (current.isEmpty()) {
                c.seekToEnd(added);
            } else {
                c.seekToBeginning(added);
            }
            Map<TopicPartition, Long> positions = new HashMap<>();
            for (TopicPartition tp : added) {
                positions.put(tp, c.position(tp, probeTimeout)); // resolves the seek now, not at a later poll
            }
            LOG.infof("classification replies: reading %s by assignment (no consumer group), from %s",
                    new java.util.TreeMap<>(partitionsByNumber(all)).keySet(), positions);
            positioned = true;
        }
        if (!current.isEmpty() || positioned) {
            c.endOffsets(c.assignment(), probeTimeout);
            if (!brokerReachable) {
                LOG.infof("classification replies: the broker answers; classifications are accepted");
            }
            brokerReachable = true;
        }
    }

    private static Map<Integer, TopicPartition> partitionsByNumber(Set<TopicPartition> partitions) {
        Map<Integer, TopicPartition> byNumber = new HashMap<>();
        partitions.forEach(tp -> byNumber.put(tp.partition(), tp));
        return byNumber;
    }

    private void dispatch(ConsumerRecord<String, String> r) {
        ClassifyResult result;
        try {
            result = Json.read(r.value(), ClassifyResult.class);
        } catch (MessageFormatException e) {
            // Observers do not dead-letter: every replica would file the same record. The producer's DLQ is theirs.
            LOG.warnf("ignored an unreadable record on %s-%d@%d: %s", topic, r.partition(), r.offset(),
                    e.getMessage());
            return;
        }
        Header header = r.headers().lastHeader(ClassifyRequestor.CORRELATION_HEADER);
        String correlation = header == null || header.value() == null ? null
                : new String(header.value(), StandardCharsets.UTF_8);
        CompletableFuture<ClassifyResult> reply = correlation == null ? null : waiting.remove(correlation);
        if (LOG.isDebugEnabled()) {
            LOG.debugf("classification reply %s-%d@%d correlation %s request %s: %s", topic, r.partition(),
                    r.offset(), correlation, result.requestId(), reply != null ? "ours" : "another replica's");
        }
        if (result.requestId() != null) {
            store.result(result);
        }
        if (reply != null) {
            reply.complete(result);
        }
    }

    private static void sleepQuietly(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
