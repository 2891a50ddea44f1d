package io.transferlab.chapter.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.transferlab.contracts.query.RunView;
import io.transferlab.contracts.query.StudyView;
import io.transferlab.contracts.train.ClassAccuracy;
import io.transferlab.vision.data.LabeledImages;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * The report folder the workflow leaves: {@code README.md} and, under {@code figures/}, the PNG figures it shows.
 * The document grows as the steps run and is written once, at the end.
 */
public final class ChapterReport {

    private final Path dir;
    private final Path figures;
    private final Markdown text = new Markdown();

    public ChapterReport(Path dir) {
        this.dir = dir;
        this.figures = dir.resolve("figures");
    }

    /** Creates the figures folder and opens the document: when, against what, the protocol's own paragraphs. */
    public void begin(Instant started, String protocolName, List<String> description) throws IOException {
        Files.createDirectories(figures);
        text.heading(1, "TransferLab: the chapter's workflow");
        text.paragraph("Run " + started + " against " + "the gateway's public API, protocol: " + protocolName + ".");
        description.forEach(text::paragraph);
    }

    /** A grid of target test images: what the steps learn to tell apart. */
    public void targetSamples(LabeledImages samples) throws IOException {
        Figures.sampleGrid(samples, 20, 10, figures.resolve("samples.png"));
        text.heading(2, "The target data").image("target test images", "figures/samples.png");
    }

    public void section(String number, String title) {
        text.heading(2, "Step " + number + ": " + title);
    }

    /** The workflow's own words, e.g. why a step could not be done. */
    public void paragraph(String paragraph) {
        text.paragraph(paragraph);
    }

    /** The pre-trained source run, whose convolutional layers the transfer steps reuse. */
    public void sourceRun(RunView source) {
        String runId = source.runId();
        text.paragraph("Source run `" + runId + "`: test accuracy on classes 0-4 "
                + Percent.of(source.metrics() == null ? null : source.metrics().testAccuracy())
                + ". Its convolutional layers are the backbone of the transfer steps (`backbone: run:" + runId
                + "`).");
    }

    /** Step 1: the photo and the ImageNet model's predictions, as the gateway answered them. */
    public void photoPredictions(Path photo, JsonNode predictions) throws IOException {
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode p : predictions) {
            rows.add(List.of(p.path("synset").asText(""), p.path("label").asText(),
                    String.format(Locale.ROOT, "%.4f", p.path("score").asDouble())));
        }
        Files.copy(photo, figures.resolve("photo.jpg"), StandardCopyOption.REPLACE_EXISTING);
        text.image("the photo", "figures/photo.jpg").table(List.of("synset", "label", "score"), rows);
    }

    /** A run that succeeded: its metrics, and its training curves and confusion matrix when it has them. */
    public void run(String title, RunView run) throws IOException {
        String key = run.runId();
        text.paragraph("**" + title + "** — run `" + run.runId() + "`: test accuracy "
                + Percent.of(run.metrics() == null ? null : run.metrics().testAccuracy()) + ", val accuracy "
                + Percent.of(run.metrics() == null ? null : run.metrics().valAccuracy()) + ", "
                + (run.durationMs() == null ? "" : run.durationMs() / 1000 + " s on " + run.device()) + ".");
        if (run.history() != null && !run.history().isEmpty()) {
            Figures.trainingCurves(title, run.history(), figures.resolve(key + "-curves.png"));
            text.image("accuracy and loss per epoch", "figures/" + key + "-curves.png");
        }
        if (run.confusionMatrix() != null) {
            Figures.confusionHeatMap(title + ": confusion matrix (test)", run.confusionMatrix(),
                    figures.resolve(key + "-confusion.png"));
            text.image("confusion matrix", "figures/" + key + "-confusion.png");
        }
    }

    /** A run that did not succeed: how it ended. */
    public void runFailed(RunView run) {
        text.paragraph("Run `" + run.runId() + "` ended " + run.status()
                + (run.error() == null ? "" : ": " + run.error().message()));
    }

    /** The tuning study, under the id the gateway gave it when it was queued. */
    public void study(String studyId, StudyView study) {
        text.paragraph("Study `" + studyId + "`: " + study.trialCount() + " runs, objective "
                + study.objective().metric() + " (" + study.objective().direction() + "), best run `"
                + study.bestRunId() + "`.");
    }

    /** The study's runs as SQL returned them, under the query with its parameter ({@code ?}) filled in. */
    public void studyRuns(String query, String studyId, List<String> columns, List<List<String>> rows) {
        text.paragraph("The study's runs, as `ls_runs` (the tfruns-style view) returns them:")
                .code(query.replace("?", "'" + studyId + "'"))
                .table(columns, rows);
    }

    public void noBestRun() {
        text.paragraph("No run of the study succeeded.");
    }

    /** The study's best run; it has metrics. */
    public void bestRun(RunView best) {
        text.paragraph("Best run `" + best.runId() + "`: test accuracy " + Percent.of(best.metrics().testAccuracy())
                + ", test loss " + String.format(Locale.ROOT, "%.4f", best.metrics().testLoss()) + ".");
    }

    public void perClassAccuracy(List<ClassAccuracy> classes) {
        List<List<String>> rows = new ArrayList<>();
        for (ClassAccuracy c : classes) {
            rows.add(List.of(c.label(), Percent.number(c.accuracy()), String.valueOf(c.support())));
        }
        text.table(List.of("class", "accuracy %", "test images"), rows);
    }

    /**
     * Draws the first sample into {@code figures/classified.png} and returns that PNG, which is also what the
     * workflow sends to be classified: the figure shows exactly what the model saw.
     */
    public byte[] classifiedImage(LabeledImages samples) throws IOException {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(Figures.toImage(samples, 0), "png", png);
        Files.write(figures.resolve("classified.png"), png.toByteArray());
        return png.toByteArray();
    }

    /** Step 1 done with the best model trained here (no ImageNet weights): its answer for the classified image. */
    public void classifiedWithBest(String modelId, String actual, JsonNode answer) {
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode p : answer.path("predictions")) {
            rows.add(List.of(p.path("label").asText(),
                    String.format(Locale.ROOT, "%.4f", p.path("score").asDouble())));
        }
        text.paragraph("Step 1 with the best model (`" + modelId + "` v" + answer.path("modelVersion").asText()
                + ") instead of ImageNet's: a test image whose actual class is **" + actual + "**.")
                .image("classified test image", "figures/classified.png")
                .table(List.of("label", "score"), rows);
    }

    /** The summary heading, its table and the test accuracy per step as a bar chart. */
    public void summary(SummaryTable summary) throws IOException {
        text.heading(2, "Summary");
        text.table(SummaryTable.HEADER, summary.rows());
        Figures.accuracyBars("test accuracy by step", summary.bars(), figures.resolve("accuracy.png"));
        text.image("test accuracy by step", "figures/accuracy.png");
    }

    /** Every run of the report as SQL returns it. */
    public void runsInSql(List<String> columns, List<List<String>> rows) {
        text.paragraph("Every run of this report in SQL (`ls_runs`):").table(columns, rows);
    }

    /** How to read the numbers, and how long the whole workflow took. */
    public void closingNote(Duration took) {
        text.paragraph("The chapter's figures are for CIFAR-10 with ImageNet backbones; under the offline protocol "
                + "the data and backbones differ, so compare the ordering of the steps, not the numbers. "
                + "Whole workflow: " + took.toMinutes() + " min " + took.toSecondsPart() + " s.");
    }

    /** Writes {@code README.md} into the report folder; returns its path. */
    public Path write() throws IOException {
        Path readme = dir.resolve("README.md");
        text.write(readme);
        return readme;
    }
}
