package io.transferlab.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.transferlab.contracts.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real KRaft broker with SCRAM users and the ACLs of acls.txt: who is refused, and that every service principal
 * can do exactly what the table allows on every topic (produce, read, commit in a consumer group) and nothing else.
 */
class KafkaAclsIT {

    private static final List<String> SERVICES = List.of("gateway", "trainer", "inference", "tuner");
    private static KafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        List<String> users = new ArrayList<>(SERVICES);
        users.add("outsider");
        broker = KafkaBroker.withScram(1, Topics.all(), users.toArray(String[]::new)).start();
        // One record in every topic, so that a permitted read is seen to return it.
        try (KafkaProducer<String, String> admin = producer(broker.clientConfig(KafkaBroker.ADMIN))) {
            for (String topic : allTopics()) {
                admin.send(new ProducerRecord<>(topic, "seed", "{}")).get();
            }
        } catch (ExecutionException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static List<String> allTopics() {
        List<String> topics = new ArrayList<>(Topics.all());
        Topics.all().forEach(t -> topics.add(Topics.deadLetter(t)));
        return topics;
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void aClientWithoutCredentialsCannotProduce() {
        Map<String, String> plain = Map.of("bootstrap.servers", broker.bootstrapServers());
        try (KafkaProducer<String, String> producer = producer(plain, Duration.ofSeconds(3))) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(Topics.TRAIN_REQUESTS, "k", "{}")).get())
                    .hasCauseInstanceOf(TimeoutException.class);
        }
    }

    @Test
    void aWrongPasswordIsRefused() {
        try (KafkaProducer<String, String> producer = producer(broker.clientConfig("gateway", "not-the-password"))) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(Topics.TRAIN_REQUESTS, "k", "{}")).get())
                    .hasCauseInstanceOf(SaslAuthenticationException.class);
        }
    }

    @Test
    void anAuthenticatedUserWithoutAclsCanNeitherWriteNorRead() {
        assertThat(canWrite("outsider", Topics.CLASSIFY_RESULTS)).isFalse();
        assertThat(canRead("outsider", Topics.CLASSIFY_REQUESTS)).isFalse();
    }

    @Test
    void theIssuesAttacksAreRefused() {
        // Train requests that bypass the gateway's keys, cancelling runs, reading every classified image:
        assertThat(canWrite("inference", Topics.TRAIN_REQUESTS)).isFalse();
        assertThat(canWrite("trainer", Topics.TRAIN_CONTROL)).isFalse();
        assertThat(canRead("gateway", Topics.CLASSIFY_REQUESTS)).isFalse();
        assertThat(canRead("tuner", Topics.CLASSIFY_REQUESTS)).isFalse();
        assertThat(canRead("trainer", Topics.deadLetter(Topics.CLASSIFY_REQUESTS))).isFalse();
        // ... a model announcement that did not come from the trainer:
        assertThat(canWrite("gateway", Topics.MODELS)).isFalse();
        // while the legitimate flows work:
        assertThat(canWrite("gateway", Topics.CLASSIFY_REQUESTS)).isTrue();
        assertThat(canRead("inference", Topics.CLASSIFY_REQUESTS)).isTrue();
    }

    @Test
    void everyServiceMayProduceAndReadExactlyWhatTheTableSays() {
        KafkaAcls acls = KafkaAcls.load();
        List<String> topics = allTopics();
        List<String> wrong = new ArrayList<>();
        for (String service : SERVICES) {
            for (String topic : topics) {
                boolean write = canWrite(service, topic);
                if (write != acls.allows(service, "WRITE", "topic", topic)) {
                    wrong.add(service + (write ? " may" : " may not") + " write " + topic);
                }
                boolean read = canRead(service, topic);
                if (read != acls.allows(service, "READ", "topic", topic)) {
                    wrong.add(service + (read ? " may" : " may not") + " read " + topic);
                }
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void everyServiceMayUseItsOwnConsumerGroupsOnly() {
        Map<String, String> groups = Map.of("gateway", "gateway-progress-1234", "trainer", "transferlab-trainer",
                "inference", "transferlab-inference", "tuner", "transferlab-tuner");
        KafkaAcls acls = KafkaAcls.load();
        for (String service : SERVICES) {
            String topic = acls.names(service, "READ", "topic").iterator().next();
            for (Map.Entry<String, String> group : groups.entrySet()) {
                boolean own = group.getKey().equals(service);
                assertThat(canCommit(service, group.getValue(), topic))
                        .as(service + " commits in group " + group.getValue()).isEqualTo(own);
            }
        }
    }

    private static boolean canWrite(String user, String topic) {
        try (KafkaProducer<String, String> producer = producer(broker.clientConfig(user))) {
            producer.send(new ProducerRecord<>(topic, "acl-check", "{}")).get();
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicAuthorizationException) {
                return false;
            }
            throw new AssertionError(user + " writing " + topic, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static boolean canRead(String user, String topic) {
        try (KafkaConsumer<String, String> consumer = consumer(broker.clientConfig(user), null)) {
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            consumer.seekToBeginning(consumer.assignment());
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (System.nanoTime() < deadline) {
                if (!consumer.poll(Duration.ofMillis(200)).isEmpty()) {
                    return true;
                }
            }
            throw new AssertionError(user + " neither read nor was refused " + topic + " within 15 s");
        } catch (TopicAuthorizationException e) {
            return false;
        }
    }

    private static boolean canCommit(String user, String group, String topic) {
        try (KafkaConsumer<String, String> consumer = consumer(broker.clientConfig(user), group)) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.commitSync(Map.of(partition, new OffsetAndMetadata(0)), Duration.ofSeconds(10));
            return true;
        } catch (GroupAuthorizationException e) {
            return false;
        }
    }

    private static KafkaProducer<String, String> producer(Map<String, String> config) {
        return producer(config, Duration.ofSeconds(15));
    }

    private static KafkaProducer<String, String> producer(Map<String, String> config, Duration maxBlock) {
        Properties p = new Properties();
        p.putAll(config);
        p.putAll(Map.of(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(maxBlock.toMillis()),
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "15000",
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000"));
        return new KafkaProducer<>(p);
    }

    private static KafkaConsumer<String, String> consumer(Map<String, String> config, String group) {
        Map<String, Object> p = new HashMap<>(config);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        if (group != null) {
            p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        return new KafkaConsumer<>(p);
    }
}
