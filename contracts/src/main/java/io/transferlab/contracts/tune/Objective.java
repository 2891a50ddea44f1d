package io.transferlab.contracts.tune;

import java.util.List;

/**
 * What ranks a study's runs.
 *
 * @param metric one of {@link #METRICS}
 * @param direction {@code maximize} or {@code minimize} (default: maximize accuracies, minimize losses)
 */
public record Objective(String metric, String direction) {

    public static final List<String> METRICS =
            List.of("val_accuracy", "val_loss", "test_accuracy", "test_loss", "accuracy", "loss");
    public static final List<String> DIRECTIONS = List.of("maximize", "minimize");

    public static Objective defaultObjective() {
        return new Objective("val_accuracy", "maximize");
    }

    public Objective withDefaults() {
        String m = metric == null ? "val_accuracy" : metric;
        String d = direction != null ? direction : (m.endsWith("loss") ? "minimize" : "maximize");
        return new Objective(m, d);
    }

    public boolean maximize() {
        return "maximize".equals(withDefaults().direction());
    }
}
