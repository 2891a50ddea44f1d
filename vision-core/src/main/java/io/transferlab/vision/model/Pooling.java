package io.transferlab.vision.model;

import java.util.Locale;

/** How the backbone's feature maps reach the head's dense layers. */
public enum Pooling {
    /** Every value of every map (the chapter's {@code layer_flatten}). */
    FLATTEN,
    /** The mean of each map (global average pooling). */
    AVG;

    public static Pooling parse(String value) {
        return switch (value == null ? "flatten" : value.toLowerCase(Locale.ROOT)) {
            case "flatten" -> FLATTEN;
            case "avg" -> AVG;
            default -> throw new IllegalArgumentException("pooling must be flatten or avg, not " + value);
        };
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
