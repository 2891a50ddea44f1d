package io.transferlab.contracts.tune;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.transferlab.contracts.json.Json;
import io.transferlab.contracts.train.RunSpec;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The flags of a run: the fields of {@link RunSpec}, set by name the way a tuning grid names them. */
public final class Flags {

    /** Every flag name, in the order of the spec. */
    public static final List<String> NAMES = Arrays.stream(RunSpec.class.getRecordComponents())
            .map(java.lang.reflect.RecordComponent::getName).toList();

    private Flags() {
    }

    public static boolean isFlag(String name) {
        return NAMES.contains(name);
    }

    /**
     * The column that shows a flag in runs tables, tfruns style: {@code denseUnits} -> {@code flag_dense_units}.
     * The same names are the {@code flag_*} columns of the tuner's SQL view {@code ls_runs}.
     */
    public static String column(String flag) {
        return "flag_" + flag.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }

    public static Set<String> sortedNames() {
        return new TreeSet<>(NAMES);
    }

    /**
     * Returns {@code spec} with the named flags replaced.
     *
     * @throws IllegalArgumentException naming the flag when a value has the wrong type
     */
    public static RunSpec apply(RunSpec spec, Map<String, Object> flags) {
        ObjectNode node = Json.mapper().valueToTree(spec);
        for (Map.Entry<String, Object> e : flags.entrySet()) {
            if (!isFlag(e.getKey())) {
                throw new IllegalArgumentException("'" + e.getKey() + "' is not a flag");
            }
            node.set(e.getKey(), Json.mapper().valueToTree(e.getValue()));
        }
        try {
            return Json.mapper().treeToValue(node, RunSpec.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(Json.describe(e, RunSpec.class), e);
        }
    }

    /** The spec's flags as a name-to-value map (nulls left out), for recording and display. */
    public static Map<String, Object> of(RunSpec spec) {
        JsonNode node = Json.mapper().valueToTree(spec);
        Map<String, Object> out = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> out.put(e.getKey(), Json.mapper().convertValue(e.getValue(), Object.class)));
        return out;
    }
}
