package io.transferlab.gateway.standin;

import io.transferlab.contracts.ErrorCode;
import io.transferlab.contracts.ErrorInfo;
import io.transferlab.contracts.SchemaVersion;
import io.transferlab.contracts.Topics;
import io.transferlab.contracts.classify.ClassifyRequest;
import io.transferlab.contracts.classify.ClassifyResult;
import io.transferlab.contracts.classify.ClassifyStatus;
import io.transferlab.contracts.classify.ClassifyTimings;
import io.transferlab.contracts.classify.Prediction;
import io.transferlab.contracts.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * TEST STAND-IN for the inference service (built in parallel): a plain Kafka consumer of
 * {@code vision.classify.requests} and producer of replies that follows the agreed header contract exactly:
 * it copies {@code REPLY_CORRELATION_ID} onto the reply and sends it to the topic named by {@code REPLY_TOPIC},
 * on the partition named by {@code REPLY_PARTITION} when there is one.
 *
 * <p>Its answers are derived from the request so a test can tell whose reply it got: the top label is
 * {@code sha256:<first 16 hex of the SHA-256 of the image bytes>}. Model {@code silent} gets no answer;
 * model {@code missing-model} gets an UNKNOWN_MODEL error.
 */
public final class InferenceStandIn implements AutoCloseable {

    public static final String SILENT_MODEL = "silent";
    public static final String MISSING_MODEL = "missing-model";

    private final KafkaConsumer<String, String> consumer;
    private final KafkaProducer<String, String> producer;
    private final Thread loop;
    private final ConcurrentLinkedQueue<ConsumerRecord<String, String>> seen = new ConcurrentLinkedQueue<>();
    private volatile boolean running = true;

    public InferenceStandIn(String bootstrapServers) {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "inference-stand-in-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()));
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()));
        consumer.subscribe(List.of(Topics.CLASSIFY_REQUESTS));
        loop = new Thread(this::run, "inference-stand-in");
        loop.setDaemon(true);
        loop.start();
    }

    /** Waits until the consumer has its partitions, so no request sent after this returns is missed. */
    public InferenceStandIn awaitAssignment() {
        org.awaitility.Awaitility.await("inference stand-in assigned its partitions")
                .atMost(Duration.ofSeconds(30)).until(() -> assigned);
        return this;
    }

    private volatile boolean assigned;

    /** Every request record this stand-in consumed, headers included. */
    public List<ConsumerRecord<String, String>> seen() {
        return new ArrayList<>(seen);
    }

    public static String labelFor(byte[] image) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(image))
                    .substring(0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void run() {
        while (running) {
            var records = consumer.poll(Duration.ofMillis(100));
            if (!assigned && !consumer.assignment().isEmpty()) {
                // "latest" is looked up lazily: resolve it now, or a request sent right after would be skipped.
                consumer.assignment().forEach(consumer::position);
                assigned = true;
            }
            for (ConsumerRecord<String, String> r : records) {
                seen.add(r);
                answer(r);
            }
        }
        consumer.close();
        producer.close();
    }

    private void answer(ConsumerRecord<String, String> r) {
        Header correlation = r.headers().lastHeader("REPLY_CORRELATION_ID");
        Header topic = r.headers().lastHeader("REPLY_TOPIC");
        Header partition = r.headers().lastHeader("REPLY_PARTITION");
        ClassifyRequest request = Json.read(r.value(), ClassifyRequest.class);
        if (correlation == null || topic == null || SILENT_MODEL.equals(request.modelId())) {
            return;
        }
        ClassifyResult result;
        if (MISSING_MODEL.equals(request.modelId())) {
            result = new ClassifyResult(SchemaVersion.CURRENT, request.requestId(), ClassifyStatus.ERROR,
                    request.modelId(), null, null, null, null,
                    ErrorInfo.of(ErrorCode.UNKNOWN_MODEL, "no model '" + request.modelId() + "' in the store"),
                    Instant.now());
        } else {
            List<Prediction> predictions = new ArrayList<>();
            predictions.add(new Prediction(labelFor(request.image()), 0, 0.9, null));
            for (int i = 1; i < request.topK(); i++) {
                predictions.add(new Prediction("class-" + i, i, 0.1 / i, null));
            }
            // a pinned version answers as that version, like the real service
            int version = request.modelVersion() == null ? 1 : request.modelVersion();
            result = new ClassifyResult(SchemaVersion.CURRENT, request.requestId(), ClassifyStatus.OK,
                    request.modelId(), version, predictions, new ClassifyTimings(0.1, 1.0, 2.0, 3.1), 1, null,
                    Instant.now());
        }
        Integer toPartition = partition == null ? null : java.nio.ByteBuffer.wrap(partition.value()).getInt();
        ProducerRecord<String, String> reply = new ProducerRecord<>(
                new String(topic.value(), StandardCharsets.UTF_8), toPartition, r.key(), Json.write(result));
        reply.headers().add("REPLY_CORRELATION_ID", correlation.value());
        producer.send(reply);
    }

    @Override
    public void close() {
        running = false;
        try {
            loop.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
