package io.transferlab.contracts.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;

/**
 * The JSON mapping of every message. Services configure their own ObjectMapper with {@link #configure} so that
 * HTTP bodies and Kafka payloads follow the same rules: unknown fields are errors, nulls are omitted, times are
 * ISO-8601 strings.
 */
public final class Json {

    private static final ObjectMapper MAPPER = configure(new ObjectMapper());

    private Json() {
    }

    public static ObjectMapper configure(ObjectMapper mapper) {
        mapper.registerModule(new JavaTimeModule());
        mapper.configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
        mapper.configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, false);
        mapper.configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true);
        mapper.configure(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS, false);
        mapper.setSerializationInclusion(JsonInclude.Include.NON_NULL);
        // A classify request carries a base64 image: allow strings up to the 8 MB body limit and then some.
        mapper.getFactory().setStreamReadConstraints(
                StreamReadConstraints.builder().maxStringLength(32 * 1024 * 1024).build());
        return mapper;
    }

    /** A shared, configured mapper. Do not reconfigure it. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static <T> T read(String json, Class<T> type) {
        if (json == null || json.isBlank()) {
            throw new MessageFormatException("empty message: expected a JSON " + type.getSimpleName(), null);
        }
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new MessageFormatException(describe(e, type), e);
        }
    }

    public static <T> T read(byte[] json, Class<T> type) {
        return read(json == null ? null : new String(json, StandardCharsets.UTF_8), type);
    }

    public static String write(Object message) {
        try {
            return MAPPER.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] writeBytes(Object message) {
        return write(message).getBytes(StandardCharsets.UTF_8);
    }

    /** Turns Jackson's exception into one sentence that names the field and what was wrong with it. */
    public static String describe(IOException e, Class<?> type) {
        String target = type.getSimpleName();
        if (e instanceof UnrecognizedPropertyException u) {
            String known = u.getKnownPropertyIds() == null ? "" : u.getKnownPropertyIds().stream()
                    .map(Object::toString).sorted().collect(Collectors.joining(", "));
            return "unknown field '" + path(u) + "' in " + target + " (known fields here: " + known + ")";
        }
        if (e instanceof InvalidFormatException f) {
            return "field '" + path(f) + "' has value " + quote(f.getValue()) + " that is not a valid "
                    + simpleName(f.getTargetType());
        }
        if (e instanceof MismatchedInputException m && !m.getPath().isEmpty()) {
            return "field '" + path(m) + "' has the wrong type: expected " + simpleName(m.getTargetType());
        }
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            return "field '" + path(m) + "': " + m.getOriginalMessage();
        }
        if (e instanceof JsonProcessingException p) {
            return "malformed JSON for " + target + ": " + p.getOriginalMessage();
        }
        return "cannot read " + target + ": " + e.getMessage();
    }

    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static String quote(Object value) {
        return value instanceof String ? "'" + value + "'" : String.valueOf(value);
    }

    private static String simpleName(Class<?> type) {
        if (type == null) {
            return "value";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "integer";
        }
        if (type == Double.class || type == double.class) {
            return "number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "boolean (true or false)";
        }
        if (type.isEnum()) {
            return type.getSimpleName() + " (one of " + java.util.Arrays.stream(type.getEnumConstants())
                    .map(Object::toString).collect(Collectors.joining(", ")) + ")";
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "array";
        }
        if (type == String.class) {
            return "string";
        }
        return "object (" + type.getSimpleName() + ")";
    }
}
