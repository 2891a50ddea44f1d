package io.transferlab.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class KafkaBrokerIT {

    @Test
    void carriesMessagesAndSurvivesARestartWithItsData() throws Exception {
        try (KafkaBroker broker = KafkaBroker.onFreePorts(2).start()) {
            send(broker, "before");
            broker.stop();
            assertThat(broker.isRunning()).isFalse();
            assertThat(FreePorts.isOpen("localhost", broker.port())).isFalse();
            broker.start();
            send(broker, "after");
            assertThat(readAll(broker)).containsExactly("before", "after");
        }
    }

    @Test
    void refusesATakenPortWithAClearMessage() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0)) {
            KafkaBroker broker = KafkaBroker.onFreePorts(1);
            java.lang.reflect.Field f = KafkaBroker.class.getDeclaredField("port");
            f.setAccessible(true);
            f.setInt(broker, taken.getLocalPort());
            assertThatThrownBy(broker::start).hasMessageContaining("port " + taken.getLocalPort() + " is already taken");
        }
    }

    private static void send(KafkaBroker broker, String value) throws Exception {
        Properties p = new Properties();
        p.putAll(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()));
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            producer.send(new ProducerRecord<>("smoke", "k", value)).get();
        }
    }

    private static List<String> readAll(KafkaBroker broker) {
        Properties p = new Properties();
        p.putAll(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "smoke-reader",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()));
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            consumer.subscribe(List.of("smoke"));
            long deadline = System.currentTimeMillis() + 30_000;
            while (values.size() < 2 && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    values.add(r.value());
                }
            }
        }
        return values;
    }
}
