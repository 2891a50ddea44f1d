package io.transferlab.chapter;

import com.fasterxml.jackson.databind.JsonNode;
import io.transferlab.chapter.client.GatewayClient;
import io.transferlab.chapter.client.GatewayException;
import io.transferlab.chapter.console.ProgressBar;
import io.transferlab.chapter.protocol.Protocol;
import io.transferlab.chapter.protocol.Protocol.Step;
import io.transferlab.chapter.report.ChapterReport;
import io.transferlab.chapter.report.ConsoleReport;
import io.transferlab.chapter.report.Percent;
import io.transferlab.chapter.report.SummaryTable;
import io.transferlab.contracts.json.Json;
import io.transferlab.contracts.query.RunView;
import io.transferlab.contracts.query.StudyView;
import io.transferlab.contracts.sse.ServerSentEvent;
import io.transferlab.contracts.train.RunStatus;
import io.transferlab.contracts.train.TrainProgress;
import io.transferlab.contracts.train.TrainResult;
import io.transferlab.contracts.tune.Objective;
import io.transferlab.vision.data.LabeledImages;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The chapter's workflow, step by step, through the gateway's public API: classify a photo, train from scratch,
 * transfer with rmsprop and adam, tune the 2x2x2 grid, read the runs table from SQL; then a report folder. What
 * the results look like, in the report folder and on the console, is {@link ChapterReport}'s and
 * {@link ConsoleReport}'s.
 */
final class ChapterWorkflow {

    private static final String IMAGENET_MODEL = "imagenet-resnet50";

    private final GatewayClient gateway;
    private final Protocol protocol;
    private final RunsTable sql;
    private final Path photo;
    private final int maxParallel;
    private final PrintStream out;
    private final ChapterReport report;
    private final ConsoleReport console;
    /** Step key -> finished run, in the order they ran. */
    private final Map<String, RunView> runs = new LinkedHashMap<>();
    private final Map<String, String> titles = new LinkedHashMap<>();

    ChapterWorkflow(GatewayClient gateway, Protocol protocol, RunsTable sql, Path reportDir, Path photo,
            int maxParallel, PrintStream out) {
        this.gateway = gateway;
        this.protocol = protocol;
        this.sql = sql;
        this.photo = photo;
        this.maxParallel = maxParallel;
        this.out = out;
        this.report = new ChapterReport(reportDir);
        this.console = new ConsoleReport(out);
    }

    /** Runs every step and writes {@code README.md} and the figures into the report folder. */
    Path run() throws IOException, SQLException {
        Instant started = Instant.now();
        report.begin(started, protocol.name(), protocol.description());

        LabeledImages samples = protocol.targetSamples();
        report.targetSamples(samples);

        String sourceRunId = null;
        Optional<Step> source = protocol.sourcePretraining();
        if (source.isPresent()) {
            section("0", source.get().title());
            RunView pretrained = train(source.get());
            requireSucceeded(pretrained, "the source backbone");
            sourceRunId = pretrained.runId();
            report.sourceRun(pretrained);
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
        Path readme = report.write();
        out.println();
        out.println("Report: " + readme.toAbsolutePath());
        return readme;
    }

    private void section(String number, String title) {
        console.section(number, title);
        report.section(number, title);
    }

    private boolean classifyPhoto() throws IOException {
        byte[] bytes = Files.readAllBytes(photo);
        try {
            JsonNode answer = gateway.classify(bytes, "image/jpeg", IMAGENET_MODEL, 5);
            console.photoPredictions(photo, answer.path("predictions"));
            report.photoPredictions(photo, answer.path("predictions"));
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
            report.runFailed(run);
            return;
        }
        report.run(step.title(), run);
    }

    /** Queues one run, follows its events with a progress bar, and returns it as the tuner recorded it. */
    private RunView train(Step step) {
        String runId = gateway.startTraining(step.spec(), "chapter-" + step.key());
        titles.put(step.key(), step.title());
        out.println("  run " + runId + " queued");
        ProgressBar bar = new ProgressBar(out, "  " + step.key());
        gateway.follow("trainings", runId, event -> onRunEvent(event, bar));
        RunView run = awaitRecorded(runId);
        bar.finish(run.status() + (run.metrics() == null ? ""
                : ", test accuracy " + Percent.of(run.metrics().testAccuracy())));
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
                        : " val_acc " + Percent.of(r.metrics().valAccuracy())));
            }
            return true;
        });
        StudyView study = awaitStudy(studyId);
        bar.finish(study.status() + ", best " + study.bestRunId() + " (val_accuracy " + Percent.of(study.bestValue())
                + ")");
        report.study(studyId, study);
        if (study.bestRunId() != null) {
            RunView best = gateway.training(study.bestRunId());
            runs.put("grid", best);
            titles.put("grid", "Best run of the grid");
            report.run("Best run of the grid", best);
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
        console.studyRuns(study.studyId(), RunsTable.format(table));
        report.studyRuns(RunsTable.STUDY_RUNS, study.studyId(), table.columns(), table.rows());

        RunView best = study.bestRunId() == null ? null : gateway.training(study.bestRunId());
        if (best == null || best.metrics() == null) {
            report.noBestRun();
            return;
        }
        console.bestRun(best);
        report.bestRun(best);
        if (best.perClassAccuracy() != null) {
            console.perClassAccuracy(best.perClassAccuracy());
            report.perClassAccuracy(best.perClassAccuracy());
        }
        if (best.confusionMatrix() != null) {
            console.confusionMatrix(best.confusionMatrix());
        }
        if (samplesToClassify != null && best.modelId() != null) {
            classifyWithBest(best, samplesToClassify);
        }
    }

    /** Without ImageNet weights: step 1's classification, done with the best model trained here. */
    private void classifyWithBest(RunView best, LabeledImages samples) throws IOException {
        byte[] png = report.classifiedImage(samples);
        JsonNode answer = gateway.classify(png, "image/png", best.modelId(), 5);
        String actual = samples.classNames().get(samples.label(0));
        console.classifiedWithBest(best.modelId(), actual, answer);
        report.classifiedWithBest(best.modelId(), actual, answer);
    }

    private void summary(Duration took) throws IOException, SQLException {
        SummaryTable summary = SummaryTable.of(runs, titles, protocol.chapterFigures());
        report.summary(summary);
        RunsTable.Result all = sql.runs(runs.values().stream().map(RunView::runId).toList());
        report.runsInSql(all.columns(), all.rows());
        report.closingNote(took);
        console.summary(summary);
    }

    private static void requireSucceeded(RunView run, String what) {
        if (run.status() != RunStatus.SUCCEEDED) {
            throw new IllegalStateException(what + " (run " + run.runId() + ") ended " + run.status()
                    + (run.error() == null ? "" : ": " + run.error().message()));
        }
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
