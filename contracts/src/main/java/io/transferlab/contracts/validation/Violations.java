package io.transferlab.contracts.validation;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/** Collects violations under a path prefix; the checks read like the rules they enforce. */
public final class Violations {

    /** Ids become Kafka keys and folder names: keep them short and filesystem-safe. */
    public static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    /**
     * Violations kept; the rest are counted. A body of a million bad values (a 1 MB list of repeated classes) would
     * otherwise get a million back: an answer many times the size of the request.
     */
    public static final int MAX_KEPT = 100;

    private final List<Violation> list;
    private final int[] dropped;
    private final String prefix;

    public Violations() {
        this(new ArrayList<>(), new int[1], "");
    }

    private Violations(List<Violation> list, int[] dropped, String prefix) {
        this.list = list;
        this.dropped = dropped;
        this.prefix = prefix;
    }

    /** A view that adds {@code name.} to every path and shares this collection. */
    public Violations at(String name) {
        return new Violations(list, dropped, prefix + name + ".");
    }

    public void add(String field, String message) {
        if (list.size() >= MAX_KEPT) {
            dropped[0]++;
            return;
        }
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

    /** The violations kept, and one more that says how many were left out, if any. */
    public List<Violation> list() {
        if (dropped[0] == 0) {
            return List.copyOf(list);
        }
        List<Violation> all = new ArrayList<>(list);
        all.add(new Violation("", "and " + dropped[0] + " more violation(s) not listed"));
        return List.copyOf(all);
    }

    public void throwIfAny() {
        if (!list.isEmpty()) {
            throw new ValidationException(list());
        }
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }
}
