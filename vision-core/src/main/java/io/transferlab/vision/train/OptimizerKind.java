package io.transferlab.vision.train;

import java.util.Locale;

public enum OptimizerKind {
    RMSPROP,
    ADAM,
    SGD;

    public static OptimizerKind parse(String value) {
        try {
            return valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("optimizer must be rmsprop, adam or sgd, not " + value, e);
        }
    }
}
