package io.transferlab.tuner.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.transferlab.contracts.json.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the JSON columns back into contract types (maps keep the order the text has). */
final class JsonColumns {

    private static final TypeReference<LinkedHashMap<String, Object>> OBJECT_MAP = new TypeReference<>() {
    };
    private static final TypeReference<LinkedHashMap<String, List<Object>>> GRID = new TypeReference<>() {
    };
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };

    private JsonColumns() {
    }

    static Map<String, Object> objectMap(String json) {
        return json == null ? null : read(json, OBJECT_MAP);
    }

    static Map<String, List<Object>> grid(String json) {
        return json == null ? null : read(json, GRID);
    }

    static List<String> strings(String json) {
        return json == null ? null : read(json, STRINGS);
    }

    static <T> T as(String json, Class<T> type) {
        return json == null ? null : Json.read(json, type);
    }

    private static <T> T read(String json, TypeReference<T> type) {
        try {
            return Json.mapper().readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable JSON column: " + e.getOriginalMessage(), e);
        }
    }
}
