package io.transferlab.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.InputStream;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The AsyncAPI document and the Java records are one contract: they must name the same fields. */
class AsyncApiContractTest {

    private static JsonNode document() throws Exception {
        try (InputStream in = AsyncApiContractTest.class.getResourceAsStream("/META-INF/transferlab/asyncapi.yaml")) {
            assertThat(in).as("asyncapi.yaml packaged with the contracts").isNotNull();
            return new ObjectMapper(new YAMLFactory()).readTree(in);
        }
    }

    @Test
    void everyRecordMatchesItsSchemaFieldForField() throws Exception {
        JsonNode schemas = document().path("components").path("schemas");
        Set<Class<?>> records = new LinkedHashSet<>();
        for (Object message : Samples.all()) {
            collectRecords(message.getClass(), records);
        }
        List<String> mismatches = new ArrayList<>();
        for (Class<?> type : records) {
            JsonNode schema = schemas.path(type.getSimpleName());
            if (schema.isMissingNode()) {
                mismatches.add(type.getSimpleName() + ": no schema in asyncapi.yaml");
                continue;
            }
            Set<String> inJava = new TreeSet<>();
            for (RecordComponent c : type.getRecordComponents()) {
                inJava.add(c.getName());
            }
            Set<String> inYaml = new TreeSet<>();
            schema.path("properties").fieldNames().forEachRemaining(inYaml::add);
            if (!inJava.equals(inYaml)) {
                Set<String> onlyJava = new TreeSet<>(inJava);
                onlyJava.removeAll(inYaml);
                Set<String> onlyYaml = new TreeSet<>(inYaml);
                onlyYaml.removeAll(inJava);
                mismatches.add(type.getSimpleName() + ": only in Java " + onlyJava + ", only in AsyncAPI " + onlyYaml);
            }
            schema.path("required").forEach(r -> {
                if (!inJava.contains(r.asText())) {
                    mismatches.add(type.getSimpleName() + ": required field " + r.asText() + " does not exist");
                }
            });
        }
        assertThat(mismatches).isEmpty();
        assertThat(records).hasSizeGreaterThanOrEqualTo(20);
    }

    @Test
    void everyTopicIsAChannelAndEveryChannelATopic() throws Exception {
        Set<String> addresses = new HashSet<>();
        document().path("channels").forEach(ch -> addresses.add(ch.path("address").asText()));
        assertThat(addresses).containsExactlyInAnyOrderElementsOf(Topics.all());
    }

    @Test
    void everyMessageTypeHasAMessageEntry() throws Exception {
        JsonNode messages = document().path("components").path("messages");
        for (Object message : Samples.all()) {
            assertThat(messages.has(message.getClass().getSimpleName()))
                    .as("components.messages." + message.getClass().getSimpleName()).isTrue();
        }
    }

    private static void collectRecords(Type type, Set<Class<?>> out) {
        if (type instanceof ParameterizedType p) {
            for (Type arg : p.getActualTypeArguments()) {
                collectRecords(arg, out);
            }
            return;
        }
        if (type instanceof Class<?> c && c.isRecord() && out.add(c)) {
            for (RecordComponent rc : c.getRecordComponents()) {
                collectRecords(rc.getGenericType(), out);
            }
        }
    }
}
