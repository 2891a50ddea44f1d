package io.transferlab.inference;

import io.smallrye.mutiny.Uni;
import io.transferlab.contracts.SchemaVersion;
import io.transferlab.contracts.Topics;
import io.transferlab.contracts.classify.ClassifyRequest;
import io.transferlab.contracts.classify.ClassifyResult;
import io.transferlab.contracts.json.Json;
import io.transferlab.testsupport.KafkaResource;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Plays the gateway: sends classification requests with the reply headers of SmallRye's Kafka request-reply
 * convention ({@code REPLY_CORRELATION_ID}, {@code REPLY_TOPIC}, and {@code REPLY_PARTITION} for the partitioned
 * requester) and completes when a record carrying that correlation id arrives where it listens. A reply the
 * service routed wrongly times out.
 *
 * <p>It reads replies the way the gateway does (explicit partition assignment, end offsets resolved before the
 * first request, correlation id registered before sending) rather than with SmallRye's request-reply emitter: that
 * emitter registers a correlation id only after the broker acknowledged the request, so a fast reply could be
 * dropped and a test would time out at random.
 */
@ApplicationScoped
public class TestRequester {

    private static final String CORRELATION_HEADER = "REPLY_CORRELATION_ID";
    private static final String TOPIC_HEADER = "REPLY_TOPIC";
    private static final String PARTITION_HEADER = "REPLY_PARTITION";

    private KafkaProducer<String, String> producer;
    private ReplyReader results;
    private ReplyReader partitioned;

    @PostConstruct
    void start() {
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaResource.bootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()));
        results = new ReplyReader(Topics.CLASSIFY_RESULTS, null);
        partitioned = new ReplyReader(InferenceTestResources.REPLY_TOPIC, InferenceTestResources.REPLY_PARTITION);
    }

    public static ClassifyRequest request(String modelId, byte[] image, int topK) {
        return new ClassifyRequest(SchemaVersion.CURRENT, "req-" + UUID.randomUUID(), modelId, topK, image,
                "image/png", Instant.now());
    }

    /** A request pinned to one version ({@code model=<id>@<version>}). */
    public static ClassifyRequest pinned(String modelId, int version, byte[] image, int topK) {
        return new ClassifyRequest(SchemaVersion.CURRENT, "req-" + UUID.randomUUID(), modelId, topK, image,
                "image/png", Instant.now(), version);
    }

    /** Sends a request and waits for its reply. */
    public ClassifyResult classify(ClassifyRequest request) {
        return Json.read(sendRaw(request.requestId(), Json.write(request)).await().atMost(Duration.ofSeconds(60))
                .value(), ClassifyResult.class);
    }

    public Uni<ClassifyResult> classifyAsync(ClassifyRequest request) {
        return sendRaw(request.requestId(), Json.write(request))
                .map(reply -> Json.read(reply.value(), ClassifyResult.class));
    }

    /** Any payload at all, with the reply headers (to send malformed requests the way a buggy producer would). */
    public Uni<ConsumerRecord<String, String>> sendRaw(String key, String payload) {
        return send(results, key, payload);
    }

    /** Through the requester that wants its replies on one partition of its own topic. */
    public Uni<ConsumerRecord<String, String>> sendPartitioned(String key, String payload) {
        return send(partitioned, key, payload);
    }

    private Uni<ConsumerRecord<String, String>> send(ReplyReader reader, String key, String payload) {
        return Uni.createFrom().deferred(() -> {
            String correlation = UUID.randomUUID().toString();
            CompletableFuture<ConsumerRecord<String, String>> reply = reader.expect(correlation);
            ProducerRecord<String, String> record = new ProducerRecord<>(Topics.CLASSIFY_REQUESTS, key, payload);
            record.headers().add(CORRELATION_HEADER, correlation.getBytes(StandardCharsets.UTF_8));
            record.headers().add(TOPIC_HEADER, reader.topic.getBytes(StandardCharsets.UTF_8));
            if (reader.partition != null) {
                record.headers().add(PARTITION_HEADER, ByteBuffer.allocate(4).putInt(reader.partition).array());
            }
            producer.send(record, (metadata, failure) -> {
                if (failure != null) {
                    reply.completeExceptionally(failure);
                }
            });
            return Uni.createFrom().completionStage(reply)
                    .onTermination().invoke(() -> reader.forget(correlation));
        });
    }

    @PreDestroy
    void close() {
        results.close();
        partitioned.close();
        producer.close(Duration.ofSeconds(5));
    }

    /** Reads one reply topic (all partitions, or one) by assignment, without a consumer group. */
    private static final class ReplyReader implements Runnable {

        private final String topic;
        private final Integer partition;
        private final Map<String, CompletableFuture<ConsumerRecord<String, String>>> waiting =
                new ConcurrentHashMap<>();
        private final CountDownLatch positioned = new CountDownLatch(1);
        private final KafkaConsumer<String, String> consumer;
        private final Thread loop;
        private volatile boolean running = true;

        ReplyReader(String topic, Integer partition) {
            this.topic = topic;
            this.partition = partition;
            consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaResource.bootstrapServers(),
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                    ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50,
                    ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                    ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()));
            loop = new Thread(this, "test-replies-" + topic);
            loop.setDaemon(true);
            loop.start();
            try {
                if (!positioned.await(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("could not position a reader on " + topic);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        CompletableFuture<ConsumerRecord<String, String>> expect(String correlation) {
            CompletableFuture<ConsumerRecord<String, String>> reply = new CompletableFuture<>();
            waiting.put(correlation, reply);
            return reply;
        }

        void forget(String correlation) {
            waiting.remove(correlation);
        }

        @Override
        public void run() {
            try {
                List<TopicPartition> partitions = partition != null ? List.of(new TopicPartition(topic, partition))
                        : consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                                .map(p -> new TopicPartition(topic, p.partition())).toList();
                consumer.assign(partitions);
                consumer.seekToEnd(partitions);
                partitions.forEach(tp -> consumer.position(tp, Duration.ofSeconds(30)));
                positioned.countDown();
                while (running) {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
                        Header header = r.headers().lastHeader(CORRELATION_HEADER);
                        CompletableFuture<ConsumerRecord<String, String>> reply = header == null ? null
                                : waiting.remove(new String(header.value(), StandardCharsets.UTF_8));
                        if (reply != null) {
                            reply.complete(r);
                        }
                    }
                }
            } catch (WakeupException e) {
                // closing
            } finally {
                consumer.close(Duration.ofSeconds(5));
            }
        }

        void close() {
            running = false;
            consumer.wakeup();
            try {
                loop.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
