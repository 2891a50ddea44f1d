package io.transferlab.bench.inference;

import io.transferlab.contracts.SchemaVersion;
import io.transferlab.contracts.Topics;
import io.transferlab.contracts.classify.ClassifyRequest;
import io.transferlab.contracts.classify.ClassifyResult;
import io.transferlab.contracts.json.Json;
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
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A requester that follows the gateway's contract with plain Kafka clients: {@code REPLY_CORRELATION_ID} (a UUID
 * string, like SmallRye's default handler) and {@code REPLY_TOPIC} on the request, the reply matched by the
 * correlation id on {@code vision.classify.results}, read from every partition from the end.
 */
final class KafkaClassifyClient implements AutoCloseable {

    private final KafkaProducer<String, String> producer;
    private final KafkaConsumer<String, String> consumer;
    private final Map<String, CompletableFuture<ClassifyResult>> pending = new ConcurrentHashMap<>();
    private final Thread poller;
    private volatile boolean running = true;

    KafkaClassifyClient(String bootstrap) throws InterruptedException {
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 16 << 20),
                new StringSerializer(), new StringSerializer());
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50),
                new StringDeserializer(), new StringDeserializer());
        CountDownLatch assigned = new CountDownLatch(1);
        poller = new Thread(() -> poll(assigned), "bench-replies");
        poller.start();
        if (!assigned.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the reply consumer found no partitions of " + Topics.CLASSIFY_RESULTS);
        }
    }

    private void poll(CountDownLatch assigned) {
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.CLASSIFY_RESULTS, Duration.ofSeconds(30))
                .stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        assigned.countDown();
        while (running) {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                Header h = record.headers().lastHeader("REPLY_CORRELATION_ID");
                if (h == null) {
                    continue;
                }
                CompletableFuture<ClassifyResult> f = pending.remove(new String(h.value(), StandardCharsets.UTF_8));
                if (f != null) {
                    f.complete(Json.read(record.value(), ClassifyResult.class));
                }
            }
        }
        consumer.close();
    }

    CompletableFuture<ClassifyResult> classify(String modelId, byte[] image) {
        String correlation = UUID.randomUUID().toString();
        String requestId = "bench-" + correlation;
        ClassifyRequest request = new ClassifyRequest(SchemaVersion.CURRENT, requestId, modelId, 5, image,
                "image/jpeg", Instant.now());
        CompletableFuture<ClassifyResult> reply = new CompletableFuture<>();
        pending.put(correlation, reply);
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.CLASSIFY_REQUESTS, requestId,
                Json.write(request));
        record.headers().add("REPLY_CORRELATION_ID", correlation.getBytes(StandardCharsets.UTF_8));
        record.headers().add("REPLY_TOPIC", Topics.CLASSIFY_RESULTS.getBytes(StandardCharsets.UTF_8));
        producer.send(record, (meta, e) -> {
            if (e != null) {
                pending.remove(correlation);
                reply.completeExceptionally(e);
            }
        });
        return reply;
    }

    /**
     * Kafka alone, no service: a record of the request's size produced and consumed back twice (request and reply
     * hops) with these same clients settings. What a request/reply round trip costs on this machine before any
     * service does anything.
     */
    static Stats brokerRoundTrips(String bootstrap, int size, int count) {
        String topic = "bench.ping." + UUID.randomUUID();
        TopicPartition tp = new TopicPartition(topic, 0);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer());
                KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                        ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50), new StringDeserializer(),
                        new StringDeserializer())) {
            producer.send(new ProducerRecord<>(topic, "create", "x")).get();
            consumer.assign(List.of(tp));
            consumer.seekToEnd(List.of(tp));
            consumer.position(tp);
            String payload = "x".repeat(size);
            java.util.List<Long> latencies = new java.util.ArrayList<>();
            long start = System.nanoTime();
            for (int i = 0; i < count + 20; i++) {
                long t = System.nanoTime();
                for (int hop = 0; hop < 2; hop++) {
                    producer.send(new ProducerRecord<>(topic, "k", payload));
                    while (consumer.poll(Duration.ofMillis(100)).isEmpty()) {
                        // until the record is back
                    }
                }
                if (i >= 20) {
                    latencies.add(System.nanoTime() - t);
                } else {
                    start = System.nanoTime();
                }
            }
            return Stats.of(latencies, (System.nanoTime() - start) / 1e9, 0, 0);
        } catch (Exception e) {
            throw new IllegalStateException("the broker round trip failed", e);
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            poller.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(5));
    }
}
