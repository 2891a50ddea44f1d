package io.transferlab.contracts.model;

import io.transferlab.contracts.validation.ValidationException;
import io.transferlab.contracts.validation.Violation;
import io.transferlab.contracts.validation.Violations;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A model as a caller names it: {@code digits} (what the model serves unpinned: its {@code production} alias when
 * set, else its newest version) or {@code digits@3} (exactly version 3). Every service reads the text with
 * {@link #parse}, so the gateway, the inference service and tools agree on what {@code id@version} means.
 *
 * @param version the pinned version, or null for "what the model serves"
 */
public record ModelRef(String modelId, Integer version) {

    /** Between the model id and the pinned version; ids never contain it ({@link Violations#ID}). */
    public static final char PIN = '@';
    /** A positive int without sign or leading zeros; nine digits at most, so it always fits an int. */
    private static final Pattern VERSION = Pattern.compile("[1-9][0-9]{0,8}");

    public ModelRef {
        if (modelId == null) {
            throw new IllegalArgumentException("a model reference needs a model id");
        }
        if (version != null && version < 1) {
            throw new IllegalArgumentException("a pinned version must be >= 1, not " + version);
        }
    }

    public static ModelRef unpinned(String modelId) {
        return new ModelRef(modelId, null);
    }

    public boolean pinned() {
        return version != null;
    }

    /**
     * Reads {@code <id>} or {@code <id>@<version>}.
     *
     * @param field the name the caller knows the value by (a query parameter, a JSON path), for the violation
     * @throws ValidationException naming {@code field} when the id is no valid id or the version no positive integer
     */
    public static ModelRef parse(String text, String field) {
        if (text == null || text.isEmpty()) {
            throw invalid(field, "is required: a model id, optionally pinned to a version (digits@3)");
        }
        int at = text.indexOf(PIN);
        String id = at < 0 ? text : text.substring(0, at);
        if (!Violations.ID.matcher(id).matches()) {
            throw invalid(field, "must start with a model id (1-64 letters, digits, '.', '_' or '-', starting with "
                    + "a letter or digit), optionally followed by @<version>");
        }
        if (at < 0) {
            return unpinned(id);
        }
        String version = text.substring(at + 1);
        if (!VERSION.matcher(version).matches()) {
            throw invalid(field, "pins version '" + printable(version) + "': after '@' comes a version, a positive "
                    + "integer (" + id + "@1, " + id + "@2, ...)");
        }
        return new ModelRef(id, Integer.parseInt(version));
    }

    /**
     * A version given on its own (a path segment such as OIP's {@code /versions/3}), by the rule of the pin.
     *
     * @throws ValidationException naming {@code field} when it is no positive integer
     */
    public static int parseVersion(String text, String field) {
        if (text == null || !VERSION.matcher(text).matches()) {
            throw invalid(field, "is '" + printable(String.valueOf(text)) + "'; a version is a positive integer");
        }
        return Integer.parseInt(text);
    }

    private static ValidationException invalid(String field, String message) {
        return new ValidationException(List.of(new Violation(field, message)));
    }

    /** What a caller sent, shortened and without control characters, safe to echo in an answer. */
    private static String printable(String s) {
        String clean = s.replaceAll("\\p{Cntrl}", "?");
        return clean.length() > 20 ? clean.substring(0, 20) + "..." : clean;
    }

    /** {@code digits} or {@code digits@3}: the text {@link #parse} reads back. */
    @Override
    public String toString() {
        return version == null ? modelId : modelId + PIN + version;
    }
}
