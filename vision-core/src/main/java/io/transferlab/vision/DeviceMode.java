package io.transferlab.vision;

import java.util.Locale;

/** Where tensors live: {@code auto} takes the first GPU when the engine sees one, else the CPU. */
public enum DeviceMode {
    AUTO,
    CPU,
    GPU;

    public static DeviceMode parse(String value) {
        if (value == null || value.isBlank()) {
            return AUTO;
        }
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("device mode '" + value + "' is not one of auto, cpu, gpu", e);
        }
    }
}
