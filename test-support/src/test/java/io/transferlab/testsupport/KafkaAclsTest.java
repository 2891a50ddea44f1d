package io.transferlab.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.transferlab.contracts.Topics;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The broker's rights are written down three times, and they must agree with what the services really do:
 * {@code infra/kafka-broker/acls.txt} (the local stack and the tests), {@code deploy/k8s/base/kafka-users.yaml}
 * (Strimzi), the {@code x-producers} / {@code x-consumers} of {@code contracts/asyncapi.yaml}, and the topics,
 * dead-letter topics and consumer groups in each service's application.properties.
 */
class KafkaAclsTest {

    private static final List<String> SERVICES = List.of("gateway", "trainer", "inference", "tuner");
    private static final String PER_INSTANCE = "${quarkus.uuid}";

    @Test
    void theTableGrantsExactlyWhatTheServicesConfigurationUses() throws IOException {
        Set<String> used = new TreeSet<>();
        for (String service : SERVICES) {
            used.addAll(usedBy(service));
        }
        Set<String> granted = new TreeSet<>();
        KafkaAcls.load().entries().forEach(e ->
                granted.add(e.principal() + " " + e.operation() + " " + e.resource() + " " + e.name()));
        assertThat(granted).containsExactlyElementsOf(used);
    }

    @Test
    void theTableAgreesWithTheAsyncApiDocument() throws IOException {
        KafkaAcls acls = KafkaAcls.load();
        JsonNode channels = yaml(RepoPaths.root().resolve("contracts/asyncapi.yaml")).path("channels");
        List<String> disagreements = new ArrayList<>();
        for (JsonNode channel : channels) {
            String topic = channel.path("address").asText();
            Set<String> producers = names(channel.path("x-producers"));
            Set<String> consumers = names(channel.path("x-consumers"));
            for (String service : SERVICES) {
                if (acls.allows(service, "WRITE", "topic", topic) != producers.contains(service)) {
                    disagreements.add(topic + ": x-producers " + producers + " but " + service + " WRITE is "
                            + acls.allows(service, "WRITE", "topic", topic));
                }
                if (acls.allows(service, "READ", "topic", topic) != consumers.contains(service)) {
                    disagreements.add(topic + ": x-consumers " + consumers + " but " + service + " READ is "
                            + acls.allows(service, "READ", "topic", topic));
                }
                // Only a consumer of a topic dead-letters its records.
                if (acls.allows(service, "WRITE", "topic", Topics.deadLetter(topic)) && !consumers.contains(service)) {
                    disagreements.add(service + " may write " + Topics.deadLetter(topic) + " without consuming " + topic);
                }
            }
        }
        assertThat(channels.size()).isEqualTo(Topics.all().size());
        assertThat(disagreements).isEmpty();
    }

    @Test
    void everyStrimziKafkaUserHasExactlyTheTablesRights() throws IOException {
        KafkaAcls acls = KafkaAcls.load();
        Set<String> inYaml = new TreeSet<>();
        Set<String> users = new TreeSet<>();
        for (JsonNode user : yamlDocuments(RepoPaths.root().resolve("deploy/k8s/base/kafka-users.yaml"))) {
            assertThat(user.path("kind").asText()).isEqualTo("KafkaUser");
            String name = user.path("metadata").path("name").asText();
            users.add(name);
            assertThat(user.path("metadata").path("labels").path("strimzi.io/cluster").asText()).isEqualTo("transferlab");
            assertThat(user.path("spec").path("authentication").path("type").asText()).isEqualTo("scram-sha-512");
            assertThat(user.path("spec").path("authorization").path("type").asText()).isEqualTo("simple");
            for (JsonNode acl : user.path("spec").path("authorization").path("acls")) {
                JsonNode resource = acl.path("resource");
                String pattern = resource.path("patternType").asText("literal");
                String resourceName = resource.path("name").asText() + ("prefix".equals(pattern) ? "*" : "");
                for (JsonNode op : acl.path("operations")) {
                    inYaml.add(name + " " + op.asText().toUpperCase() + " " + resource.path("type").asText() + " "
                            + resourceName);
                }
                assertThat(acl.has("type") ? acl.path("type").asText() : "allow").isEqualTo("allow");
            }
        }
        Set<String> inTable = new TreeSet<>();
        acls.entries().forEach(e -> inTable.add(e.principal() + " " + e.operation() + " " + e.resource() + " " + e.name()));
        assertThat(users).isEqualTo(acls.principals());
        assertThat(inYaml).containsExactlyElementsOf(inTable);
    }

    /** "service OPERATION resource name" for every topic, dead-letter topic and consumer group a service uses. */
    private static Set<String> usedBy(String service) throws IOException {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(
                RepoPaths.root().resolve(service + "-service/src/main/resources/application.properties"))) {
            p.load(in);
        }
        Set<String> used = new TreeSet<>();
        Set<String> incoming = new TreeSet<>();
        for (String key : p.stringPropertyNames()) {
            if (key.startsWith("%")) {
                continue;
            }
            String value = p.getProperty(key).strip();
            if (key.startsWith("mp.messaging.incoming.")) {
                incoming.add(key.split("\\.")[3]);
            }
            if (key.matches("mp\\.messaging\\.incoming\\.[^.]+\\.topic")
                    || key.matches("mp\\.messaging\\.outgoing\\.[^.]+\\.reply\\.topic")) {
                used.add(service + " READ topic " + value);
            } else if (key.matches("mp\\.messaging\\.outgoing\\.[^.]+\\.topic")
                    || key.matches("mp\\.messaging\\.incoming\\.[^.]+\\.dead-letter-queue\\.topic")) {
                used.add(service + " WRITE topic " + value);
            } else if (key.matches("mp\\.messaging\\.incoming\\.[^.]+\\.group\\.id")
                    || key.matches("mp\\.messaging\\.outgoing\\.[^.]+\\.reply\\.group\\.id")) {
                used.add(service + " READ group " + group(value));
            }
        }
        // The gateway reads classification replies without a channel: ClassifyReplies assigns itself every partition of
        // vision.classify.results (no consumer group), so it needs that topic's READ and no group.
        if (service.equals("gateway")) {
            used.add(service + " READ topic vision.classify.results");
        }
        // A channel without a group id joins the connector's group, else the group named after the application
        // (Quarkus' default).
        String defaultGroup = p.getProperty("mp.messaging.connector.smallrye-kafka.group.id",
                p.getProperty("quarkus.application.name"));
        for (String channel : incoming) {
            if (p.getProperty("mp.messaging.incoming." + channel + ".group.id") == null) {
                used.add(service + " READ group " + group(defaultGroup));
            }
        }
        return used;
    }

    private static String group(String configured) {
        int uuid = configured.indexOf(PER_INSTANCE);
        if (uuid < 0) {
            return configured;
        }
        assertThat(uuid + PER_INSTANCE.length()).as("a per-instance suffix ends the group id " + configured)
                .isEqualTo(configured.length());
        return configured.substring(0, uuid) + "*";
    }

    private static Set<String> names(JsonNode list) {
        Set<String> names = new TreeSet<>();
        list.forEach(n -> names.add(n.asText()));
        return names;
    }

    private static JsonNode yaml(Path file) throws IOException {
        return new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
    }

    private static List<JsonNode> yamlDocuments(Path file) throws IOException {
        ObjectMapper mapper = new ObjectMapper(new YAMLFactory());
        List<JsonNode> docs = new ArrayList<>();
        try (YAMLParser parser = new YAMLFactory().createParser(file.toFile())) {
            mapper.readValues(parser, ObjectNode.class).forEachRemaining(docs::add);
        }
        return docs;
    }
}
