package io.transferlab.contracts.validation;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/** Collects violations under a path prefix; the checks read like the rules they enforce. */
public final class Violations {

    /** Ids become Kafka keys and folder names: keep them short and filesystem-safe. */
    public static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final List<Violation> list;
    private final String prefix;

    public Violations() {
        this(new ArrayList<>(), "");
    }

    private Violations(List<Violation> list, String prefix) {
        this.list = list;
        this.prefix = prefix;
    }

    /** A view that adds {@code name.} to every path and shares this collection. */
    public Violations at(String name) {
        return new Violations(list, prefix + name + ".");
    }

    public void add(String field, String message) {
        String path = field.isEmpty() && prefix.endsWith(".") ? prefix.substring(0, prefix.length() - 1) : prefix + field;
        list.add(new Violation(path, message));
    }

    public boolean require(Object value, String field) {
        if (value == null) {
            add(field, "is required");
            return false;
        }
        return true;
    }

    public void between(Number value, String field, long min, long max) {
        if (value != null && (value.longValue() < min || value.longValue() > max)) {
            add(field, "must be between " + min + " and " + max);
        }
    }

    public void inClosedOpen(Double value, String field, double min, double max) {
        if (value != null && (value.isNaN() || value < min || value >= max)) {
            add(field, "must be in [" + fmt(min) + ", " + fmt(max) + ")");
        }
    }

    public void inClosed(Double value, String field, double min, double max) {
        if (value != null && (value.isNaN() || value < min || value > max)) {
            add(field, "must be in [" + fmt(min) + ", " + fmt(max) + "]");
        }
    }

    public void inOpenClosed(Double value, String field, double min, double max) {
        if (value != null && (value.isNaN() || value <= min || value > max)) {
            add(field, "must be in (" + fmt(min) + ", " + fmt(max) + "]");
        }
    }

    public void oneOf(String value, String field, Collection<String> allowed) {
        if (value != null && !allowed.contains(value)) {
            add(field, "must be one of " + String.join(", ", allowed));
        }
    }

    public void id(String value, String field) {
        if (value != null && !ID.matcher(value).matches()) {
            add(field, "must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
    }

    public boolean isEmpty() {
        return list.isEmpty();
    }

    public List<Violation> list() {
        return List.copyOf(list);
    }

    public void throwIfAny() {
        if (!list.isEmpty()) {
            throw new ValidationException(list);
        }
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }
}
