package io.transferlab.chapter;

import com.fasterxml.jackson.databind.JsonNode;
import io.transferlab.chapter.client.GatewayClient;
import io.transferlab.chapter.client.GatewayException;
import io.transferlab.chapter.console.ProgressBar;
import io.transferlab.chapter.protocol.Protocol;
import io.transferlab.chapter.protocol.Protocol.Step;
import io.transferlab.chapter.report.Figures;
import io.transferlab.chapter.report.Markdown;
import io.transferlab.contracts.json.Json;
import io.transferlab.contracts.query.RunView;
import io.transferlab.contracts.query.StudyView;
import io.transferlab.contracts.sse.ServerSentEvent;
import io.transferlab.contracts.train.ClassAccuracy;
import io.transferlab.contracts.train.RunStatus;
import io.transferlab.contracts.train.TrainProgress;
import io.transferlab.contracts.train.TrainResult;
import io.transferlab.contracts.tune.Objective;
import io.transferlab.vision.data.LabeledImages;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.imageio.ImageIO;

/**
 * The chapter's workflow, step by step, through the gateway's public API: classify a photo, train from scratch,
 * transfer with rmsprop and adam, tune the 2x2x2 grid, read the runs table from SQL; then a report folder.
 */
final class ChapterWorkflow {

    private static final String IMAGENET_MODEL = "imagenet-resnet50";

    private final GatewayClient gateway;
    private final Protocol protocol;
    private final RunsTable sql;
    private final Path reportDir;
    private final Path figures;
    private final Path photo;
    private final int maxParallel;
    private final PrintStream out;
    private final Markdown report = new Markdown();
    /** Step key -> finished run, in the order they ran. */
    private final Map<String, RunView> runs = new LinkedHashMap<>();
    private final Map<String, String> titles = new LinkedHashMap<>();

    ChapterWorkflow(GatewayClient gateway, Protocol protocol, RunsTable sql, Path reportDir, Path photo,
            int maxParallel, PrintStream out) {
        this.gateway = gateway;
        this.protocol = protocol;
        this.sql = sql;
        this.reportDir = reportDir;
        this.figures = reportDir.resolve("figures");
        this.photo = photo;
        this.maxParallel = maxParallel;
        this.out = out;
    }

    /** Runs every step and writes {@code README.md} and the figures into the report folder. */
    Path run() throws IOException, SQLException {
        Files.createDirectories(figures);
        Instant started = Instant.now();
        report.heading(1, "TransferLab: the chapter's workflow");
        report.paragraph("Run " + started + " against " + "the gateway's public API, protocol: " + protocol.name() + ".");
        protocol.description().forEach(report::paragraph);

        LabeledImages samples = protocol.targetSamples();
        Figures.sampleGrid(samples, 20, 10, figures.resolve("samples.png"));
        report.heading(2, "The target data").image("target test images", "figures/samples.png");

        String sourceRunId = null;
        Optional<Step> source = protocol.sourcePretraining();
        if (source.isPresent()) {
            section("0", source.get().title());
            RunView pretrained = train(source.get());
            requireSucceeded(pretrained, "the source backbone");
            sourceRunId = pretrained.runId();
            report.paragraph("Source run `" + sourceRunId + "`: test accuracy on classes 0-4 "
                    + pct(pretrained.metrics() == null ? null : pretrained.metrics().testAccuracy())
                    + ". Its convolutional layers are the backbone of the transfer steps (`backbone: run:" + sourceRunId
                    + "`).");
        }

        section("1", "Classify a photo with an ImageNet-pretrained ResNet-50 (top-5)");
        boolean classifiedWithImageNet = protocol.imagenetAvailable() && classifyPhoto();
        if (!classifiedWithImageNet) {
            String why = "ImageNet weights are not installed (data/weights/resnet50-imagenet.pt): no ImageNet model "
                    + "can be served here. README, \"Data and weights\", says how to export torchvision's weights; "
                    + "step 5 classifies a test image with the best model trained below instead.";
            out.println("  " + why);
            report.paragraph(why);
        }

        section("2", protocol.fromScratch().title());
        trainAndReport(protocol.fromScratch());

        section("3", "Transfer learning: frozen pretrained backbone + dense head, rmsprop then adam");
        trainAndReport(protocol.transfer("rmsprop", sourceRunId));
        trainAndReport(protocol.transfer("adam", sourceRunId));
        for (Step extra : protocol.extraBackbones(sourceRunId)) {
            trainAndReport(extra);
        }
        List<Step> smallData = protocol.smallDataComparison(sourceRunId);
        if (!smallData.isEmpty()) {
            section("3b", "The same comparison with a tenth of the training images");
            for (Step step : smallData) {
                trainAndReport(step);
            }
        }

        section("4", "Tuning: dense units x dropout x batch size (2x2x2)");
        StudyView study = tune(protocol.tuningBase(sourceRunId));

        section("5", "The runs table from SQL, and the best run");
        bestRun(study, classifiedWithImageNet ? null : samples);

        summary(Duration.between(started, Instant.now()));
        Path readme = reportDir.resolve("README.md");
        report.write(readme);
        out.println();
        out.println("Report: " + readme.toAbsolutePath());
        return readme;
    }

    private void section(String number, String title) {
        out.println();
        out.println("== Step " + number + ": " + title);
        report.heading(2, "Step " + number + ": " + title);
    }

    private boolean classifyPhoto() throws IOException {
        byte[] bytes = Files.readAllBytes(photo);
        try {
            JsonNode answer = gateway.classify(bytes, "image/jpeg", IMAGENET_MODEL, 5);
            List<List<String>> rows = new ArrayList<>();
            out.println("  " + photo.getFileName() + ":");
            for (JsonNode p : answer.path("predictions")) {
                String line = String.format(Locale.ROOT, "%s %s %.2f", p.path("synset").asText(""),
                        p.path("label").asText(), p.path("score").asDouble());
                out.println("    " + line);
                rows.add(List.of(p.path("synset").asText(""), p.path("label").asText(),
                        String.format(Locale.ROOT, "%.4f", p.path("score").asDouble())));
            }
            Files.copy(photo, figures.resolve("photo.jpg"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            report.image("the photo", "figures/photo.jpg").table(List.of("synset", "label", "score"), rows);
            return true;
        } catch (GatewayException e) {
            out.println("  the ImageNet model could not classify: " + e.getMessage());
            report.paragraph("The ImageNet model could not classify: " + e.getMessage());
            return false;
        }
    }

    private void trainAndReport(Step step) throws IOException {
        RunView run = train(step);
        if (run.status() != RunStatus.SUCCEEDED) {
            report.paragraph("Run `" + run.runId() + "` ended " + run.status()
                    + (run.error() == null ? "" : ": " + run.error().message()));
            return;
        }
        reportRun(step.title(), run);
    }

    /** Queues one run, follows its events with a progress bar, and returns it as the tuner recorded it. */
    private RunView train(Step step) {
        String runId = gateway.startTraining(step.spec(), "chapter-" + step.key());
        titles.put(step.key(), step.title());
        out.println("  run " + runId + " queued");
        ProgressBar bar = new ProgressBar(out, "  " + step.key());
        gateway.follow("trainings", runId, event -> onRunEvent(event, bar));
        RunView run = awaitRecorded(runId);
        bar.finish(run.status() + (run.metrics() == null ? "" : ", test accuracy " + pct(run.metrics().testAccuracy())));
        runs.put(step.key(), run);
        return run;
    }

    private static boolean onRunEvent(ServerSentEvent event, ProgressBar bar) {
        switch (event.event()) {
            case "progress" -> {
                TrainProgress p = Json.read(event.data(), TrainProgress.class);
                bar.update(p.metrics().epoch(), p.totalEpochs(), String.format(Locale.ROOT,
                        "loss %.3f acc %.3f%s", p.metrics().loss(), p.metrics().accuracy(),
                        p.metrics().valAccuracy() == null ? "" : String.format(Locale.ROOT, " val_acc %.3f",
                                p.metrics().valAccuracy())));
                return true;
            }
            case "result" -> {
                TrainResult r = Json.read(event.data(), TrainResult.class);
                return r.status() == null || !r.status().isFinal();
            }
            case "snapshot" -> {
                RunView v = Json.read(event.data(), RunView.class);
                return v.status() == null || !v.status().isFinal();
            }
            default -> {
                return true;
            }
        }
    }

    /** The result reaches the tuner (and its table) a moment after the trainer published it. */
    private RunView awaitRecorded(String runId) {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (true) {
            try {
                RunView run = gateway.training(runId);
                if (run.status() != null && run.status().isFinal()) {
                    return run;
                }
            } catch (GatewayException e) {
                if (e.status() != 404) {
                    throw e;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("run " + runId + " finished but the tuner has not recorded it");
            }
            pause(500);
        }
    }

    private StudyView tune(Step base) throws IOException {
        int trials = protocol.grid().values().stream().mapToInt(List::size).reduce(1, (a, b) -> a * b);
        String studyId = gateway.startTuning("chapter grid", base.spec(), protocol.grid(), maxParallel,
                new Objective("val_accuracy", "maximize"));
        out.println("  study " + studyId + ": " + trials + " runs, at most " + maxParallel + " at a time");
        ProgressBar bar = new ProgressBar(out, "  grid");
        int[] done = {0};
        gateway.follow("tunings", studyId, event -> {
            if ("result".equals(event.event())) {
                TrainResult r = Json.read(event.data(), TrainResult.class);
                done[0]++;
                bar.update(done[0], trials, r.runId() + " " + r.status() + (r.metrics() == null ? ""
                        : " val_acc " + pct(r.metrics().valAccuracy())));
            }
            return true;
        });
        StudyView study = awaitStudy(studyId);
        bar.finish(study.status() + ", best " + study.bestRunId() + " (val_accuracy " + pct(study.bestValue()) + ")");
        report.paragraph("Study `" + studyId + "`: " + study.trialCount() + " runs, objective "
                + study.objective().metric() + " (" + study.objective().direction() + "), best run `"
                + study.bestRunId() + "`.");
        if (study.bestRunId() != null) {
            RunView best = gateway.training(study.bestRunId());
            runs.put("grid", best);
            titles.put("grid", "Best run of the grid");
            reportRun("Best run of the grid", best);
        }
        return study;
    }

    private StudyView awaitStudy(String studyId) {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (true) {
            StudyView study = gateway.tuning(studyId);
            if (study.status() != null && study.status().isFinal()) {
                return study;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("study " + studyId + " streamed its end but is still RUNNING");
            }
            pause(500);
        }
    }

    private void bestRun(StudyView study, LabeledImages samplesToClassify) throws SQLException, IOException {
        RunsTable.Result table = sql.studyRuns(study.studyId());
        String text = RunsTable.format(table);
        out.println("  SELECT ... FROM ls_runs WHERE study_id = '" + study.studyId() + "' ORDER BY study_rank;");
        text.lines().forEach(l -> out.println("  " + l));
        report.paragraph("The study's runs, as `ls_runs` (the tfruns-style view) returns them:")
                .code(RunsTable.STUDY_RUNS.replace("?", "'" + study.studyId() + "'"))
                .table(table.columns(), table.rows());

        RunView best = study.bestRunId() == null ? null : gateway.training(study.bestRunId());
        if (best == null || best.metrics() == null) {
            report.paragraph("No run of the study succeeded.");
            return;
        }
        out.printf(Locale.ROOT, "  best run %s: test accuracy %s, test loss %.4f%n", best.runId(),
                pct(best.metrics().testAccuracy()), best.metrics().testLoss());
        report.paragraph("Best run `" + best.runId() + "`: test accuracy " + pct(best.metrics().testAccuracy())
                + ", test loss " + String.format(Locale.ROOT, "%.4f", best.metrics().testLoss()) + ".");
        if (best.perClassAccuracy() != null) {
            out.println("  per-class accuracy (100 x diagonal / column sum):");
            List<List<String>> rows = new ArrayList<>();
            for (ClassAccuracy c : best.perClassAccuracy()) {
                String acc = c.accuracy() == null ? "-" : String.format(Locale.ROOT, "%.1f", c.accuracy());
                out.printf("    %-14s %6s%%  (%d images)%n", c.label(), acc, c.support());
                rows.add(List.of(c.label(), acc, String.valueOf(c.support())));
            }
            report.table(List.of("class", "accuracy %", "test images"), rows);
        }
        if (best.confusionMatrix() != null) {
            out.println("  confusion matrix (rows Predicted, columns Actual):");
            int[][] counts = best.confusionMatrix().counts();
            for (int p = 0; p < counts.length; p++) {
                StringBuilder line = new StringBuilder(String.format("    %-12s", shorten(best.confusionMatrix().labels().get(p))));
                for (int count : counts[p]) {
                    line.append(String.format("%6d", count));
                }
                out.println(line);
            }
        }
        if (samplesToClassify != null && best.modelId() != null) {
            classifyWithBest(best, samplesToClassify);
        }
    }

    /** Without ImageNet weights: step 1's classification, done with the best model trained here. */
    private void classifyWithBest(RunView best, LabeledImages samples) throws IOException {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(Figures.toImage(samples, 0), "png", png);
        Files.write(figures.resolve("classified.png"), png.toByteArray());
        JsonNode answer = gateway.classify(png.toByteArray(), "image/png", best.modelId(), 5);
        String actual = samples.classNames().get(samples.label(0));
        out.println("  classify a test image (actual: " + actual + ") with model " + best.modelId() + " v"
                + answer.path("modelVersion").asText() + ":");
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode p : answer.path("predictions")) {
            out.printf(Locale.ROOT, "    %-14s %.4f%n", p.path("label").asText(), p.path("score").asDouble());
            rows.add(List.of(p.path("label").asText(), String.format(Locale.ROOT, "%.4f", p.path("score").asDouble())));
        }
        report.paragraph("Step 1 with the best model (`" + best.modelId() + "` v" + answer.path("modelVersion").asText()
                + ") instead of ImageNet's: a test image whose actual class is **" + actual + "**.")
                .image("classified test image", "figures/classified.png")
                .table(List.of("label", "score"), rows);
    }

    private void reportRun(String title, RunView run) throws IOException {
        String key = run.runId();
        report.paragraph("**" + title + "** — run `" + run.runId() + "`: test accuracy "
                + pct(run.metrics() == null ? null : run.metrics().testAccuracy()) + ", val accuracy "
                + pct(run.metrics() == null ? null : run.metrics().valAccuracy()) + ", "
                + (run.durationMs() == null ? "" : run.durationMs() / 1000 + " s on " + run.device()) + ".");
        if (run.history() != null && !run.history().isEmpty()) {
            Figures.trainingCurves(title, run.history(), figures.resolve(key + "-curves.png"));
            report.image("accuracy and loss per epoch", "figures/" + key + "-curves.png");
        }
        if (run.confusionMatrix() != null) {
            Figures.confusionHeatMap(title + ": confusion matrix (test)", run.confusionMatrix(),
                    figures.resolve(key + "-confusion.png"));
            report.image("confusion matrix", "figures/" + key + "-confusion.png");
        }
    }

    private void summary(Duration took) throws IOException, SQLException {
        report.heading(2, "Summary");
        List<List<String>> rows = new ArrayList<>();
        Map<String, Double> bars = new LinkedHashMap<>();
        for (Map.Entry<String, RunView> e : runs.entrySet()) {
            RunView r = e.getValue();
            Double acc = r.metrics() == null ? null : r.metrics().testAccuracy();
            rows.add(List.of(titles.getOrDefault(e.getKey(), e.getKey()), r.runId(), String.valueOf(r.status()),
                    pct(acc), protocol.chapterFigures().getOrDefault(e.getKey(), "")));
            if (!"source".equals(e.getKey())) {
                bars.put(e.getKey(), acc);
            }
        }
        report.table(List.of("step", "run", "status", "test accuracy", "the chapter"), rows);
        Figures.accuracyBars("test accuracy by step", bars, figures.resolve("accuracy.png"));
        report.image("test accuracy by step", "figures/accuracy.png");
        RunsTable.Result all = sql.runs(runs.values().stream().map(RunView::runId).toList());
        report.paragraph("Every run of this report in SQL (`ls_runs`):").table(all.columns(), all.rows());
        report.paragraph("The chapter's figures are for CIFAR-10 with ImageNet backbones; under the offline protocol "
                + "the data and backbones differ, so compare the ordering of the steps, not the numbers. "
                + "Whole workflow: " + took.toMinutes() + " min " + took.toSecondsPart() + " s.");
        out.println();
        out.println("== Summary");
        rows.forEach(r -> out.printf("  %-62s %-9s %7s   chapter: %s%n", r.get(0), r.get(2), r.get(3), r.get(4)));
    }

    private static void requireSucceeded(RunView run, String what) {
        if (run.status() != RunStatus.SUCCEEDED) {
            throw new IllegalStateException(what + " (run " + run.runId() + ") ended " + run.status()
                    + (run.error() == null ? "" : ": " + run.error().message()));
        }
    }

    static String pct(Double value) {
        return value == null ? "-" : String.format(Locale.ROOT, "%.1f%%", value * 100);
    }

    private static String shorten(String s) {
        return s.length() > 11 ? s.substring(0, 10) + "." : s;
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
