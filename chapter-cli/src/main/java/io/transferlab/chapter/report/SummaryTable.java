package io.transferlab.chapter.report;

import io.transferlab.contracts.query.RunView;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The summary of the workflow, one row per finished run in the order they ran, for both the Markdown table and the
 * console; and the test accuracy per step for the bar chart.
 *
 * @param rows step title, run id, status, test accuracy, the chapter's figure (the columns of {@link #HEADER})
 * @param bars step key -> test accuracy (null when the run has none)
 */
public record SummaryTable(List<List<String>> rows, Map<String, Double> bars) {

    public static final List<String> HEADER = List.of("step", "run", "status", "test accuracy", "the chapter");

    /**
     * @param runs step key -> finished run, in the order they ran
     * @param titles step key -> the step's title (the key itself when there is none)
     * @param chapterFigures step key -> the chapter's figure for it, when there is one
     */
    public static SummaryTable of(Map<String, RunView> runs, Map<String, String> titles,
            Map<String, String> chapterFigures) {
        List<List<String>> rows = new ArrayList<>();
        Map<String, Double> bars = new LinkedHashMap<>();
        for (Map.Entry<String, RunView> e : runs.entrySet()) {
            RunView r = e.getValue();
            Double acc = r.metrics() == null ? null : r.metrics().testAccuracy();
            rows.add(List.of(titles.getOrDefault(e.getKey(), e.getKey()), r.runId(), String.valueOf(r.status()),
                    Percent.of(acc), chapterFigures.getOrDefault(e.getKey(), "")));
            // the source pre-training only makes the backbone: it is no step of the chapter to compare
            if (!"source".equals(e.getKey())) {
                bars.put(e.getKey(), acc);
            }
        }
        return new SummaryTable(rows, bars);
    }
}
