package io.transferlab.chapter.report;

import java.util.Locale;

/**
 * Percentages as the report and the console show them: one decimal, {@code -} when there is no value. Always
 * {@link Locale#ROOT}, so a report reads the same whatever the machine's language.
 */
public final class Percent {

    private Percent() {
    }

    /** A fraction (0..1) as a percentage: {@code 0.6789} is {@code 67.9%}. */
    public static String of(Double fraction) {
        return fraction == null ? "-" : String.format(Locale.ROOT, "%.1f%%", fraction * 100);
    }

    /** A value that already is a percentage (0..100), without the sign: {@code 90.909} is {@code 90.9}. */
    public static String number(Double percent) {
        return percent == null ? "-" : String.format(Locale.ROOT, "%.1f", percent);
    }
}
