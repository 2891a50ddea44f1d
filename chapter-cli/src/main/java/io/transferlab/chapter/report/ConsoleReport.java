package io.transferlab.chapter.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.transferlab.contracts.query.RunView;
import io.transferlab.contracts.train.ClassAccuracy;
import io.transferlab.contracts.train.ConfusionMatrix;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The results the workflow prints as it goes, as plain text for a terminal or a CI log: step headings, predictions,
 * the runs table from SQL, the best run's per-class accuracy and confusion matrix, and the summary. Progress (queued
 * runs, progress bars) stays with the workflow.
 */
public final class ConsoleReport {

    private final PrintStream out;

    public ConsoleReport(PrintStream out) {
        this.out = out;
    }

    public void section(String number, String title) {
        out.println();
        out.println("== Step " + number + ": " + title);
    }

    /** Step 1: the ImageNet model's predictions for the photo, as the gateway answered them. */
    public void photoPredictions(Path photo, JsonNode predictions) {
        out.println("  " + photo.getFileName() + ":");
        for (JsonNode p : predictions) {
            String line = String.format(Locale.ROOT, "%s %s %.2f", p.path("synset").asText(""),
                    p.path("label").asText(), p.path("score").asDouble());
            out.println("    " + line);
        }
    }

    /** The query a user would type and its result, as psql prints it. */
    public void studyRuns(String studyId, String psqlTable) {
        out.println("  SELECT ... FROM ls_runs WHERE study_id = '" + studyId + "' ORDER BY study_rank;");
        psqlTable.lines().forEach(l -> out.println("  " + l));
    }

    /** The study's best run; it has metrics. */
    public void bestRun(RunView best) {
        out.printf(Locale.ROOT, "  best run %s: test accuracy %s, test loss %.4f%n", best.runId(),
                Percent.of(best.metrics().testAccuracy()), best.metrics().testLoss());
    }

    public void perClassAccuracy(List<ClassAccuracy> classes) {
        out.println("  per-class accuracy (100 x diagonal / column sum):");
        for (ClassAccuracy c : classes) {
            out.printf("    %-14s %6s%%  (%d images)%n", c.label(), Percent.number(c.accuracy()), c.support());
        }
    }

    /** The chapter's orientation: one row per predicted class, one column per actual class. */
    public void confusionMatrix(ConfusionMatrix matrix) {
        out.println("  confusion matrix (rows Predicted, columns Actual):");
        int[][] counts = matrix.counts();
        for (int p = 0; p < counts.length; p++) {
            StringBuilder line = new StringBuilder(String.format("    %-12s", shorten(matrix.labels().get(p))));
            for (int count : counts[p]) {
                line.append(String.format("%6d", count));
            }
            out.println(line);
        }
    }

    /** Step 1 done with the best model trained here (no ImageNet weights): its answer for a test image. */
    public void classifiedWithBest(String modelId, String actual, JsonNode answer) {
        out.println("  classify a test image (actual: " + actual + ") with model " + modelId + " v"
                + answer.path("modelVersion").asText() + ":");
        for (JsonNode p : answer.path("predictions")) {
            out.printf(Locale.ROOT, "    %-14s %.4f%n", p.path("label").asText(), p.path("score").asDouble());
        }
    }

    public void summary(SummaryTable summary) {
        out.println();
        out.println("== Summary");
        summary.rows().forEach(r -> out.printf("  %-62s %-9s %7s   chapter: %s%n", r.get(0), r.get(2), r.get(3),
                r.get(4)));
    }

    /** Class names in the confusion matrix's first column: long ones would push the counts out of line. */
    private static String shorten(String s) {
        return s.length() > 11 ? s.substring(0, 10) + "." : s;
    }
}
