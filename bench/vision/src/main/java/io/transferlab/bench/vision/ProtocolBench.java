package io.transferlab.bench.vision;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.management.OperatingSystemMXBean;
import io.transferlab.contracts.json.Json;
import io.transferlab.contracts.train.EpochMetrics;
import io.transferlab.contracts.train.RunSpec;
import io.transferlab.vision.DeviceMode;
import io.transferlab.vision.Engines;
import io.transferlab.vision.LibraryVersions;
import io.transferlab.vision.VisionSettings;
import io.transferlab.vision.data.DatasetCatalog;
import io.transferlab.vision.data.LabeledImages;
import io.transferlab.vision.image.ImageDecoder;
import io.transferlab.vision.train.RunInputs;
import io.transferlab.vision.train.TrainingOutcome;
import io.transferlab.vision.train.TransferTrainer;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

/**
 * The vision-core side of bench/protocol (run it through {@code bench/protocol/run}): the transfer protocol of
 * BatchNormTransferIT at full size, several seeds, once here and once in Debian's PyTorch
 * (bench/protocol/protocol_torch.py), on the same images in the same order. Three steps, each a process of its own:
 * <ul>
 *   <li>{@code --step prepare}: writes {@code manifest.json} (every run's resolved spec, in order) and, per data
 *   slice, the sampled training and test images as IDX files (exactly what vision-core's data preparation
 *   selects, relabelled) with the training order of every epoch (vision-core's seeded shuffle);</li>
 *   <li>{@code --step train}: trains every run of the manifest with vision-core and appends a JSON line per run to
 *   {@code results-vision-core.jsonl};</li>
 *   <li>{@code --step table}: prints both sides' results as one Markdown table.</li>
 * </ul>
 * The PyTorch side reads the manifest and the IDX files and writes {@code results-pytorch.jsonl}.
 */
public final class ProtocolBench {

    static final String VISION_CORE = "vision-core";
    static final String PYTORCH = "pytorch";
    private static final List<Integer> SOURCE_CLASSES = List.of(0, 1, 2, 3, 4);
    private static final List<Integer> TARGET_CLASSES = List.of(5, 6, 7, 8, 9);
    private static final ObjectMapper JSON = Json.mapper();

    /** One size of the protocol; FULL is BatchNormTransferIT's, at 2,000 and 200 target images. */
    record Scale(int sourceSize, int sourceEpochs, int testSize, List<Integer> targetSizes, int epochs,
            int fineTuneEpochs) {
        static final Scale FULL = new Scale(5000, 2, 1000, List.of(2000, 200), 10, 10);
        /** A smoke test of the machinery, minutes not hours: the figures mean little. */
        static final Scale QUICK = new Scale(500, 1, 200, List.of(200, 50), 2, 1);
    }

    /** A row of the table. */
    record Cell(String id, String label) {
    }

    /**
     * A data slice both sides train on: IDX files relative to the work folder, and the training positions of each
     * epoch ({@code orders[e - 1]} for epoch e).
     */
    record DataSlice(String trainImages, String trainLabels, int trainCount, String testImages, String testLabels,
            int testCount, List<int[]> orders) {
    }

    /** One training run: its cell, seed, data slice and resolved spec ({@code run:<id>} names an earlier run). */
    record Run(String runId, String cell, long seed, String data, RunSpec spec) {
    }

    record Manifest(String scale, List<Long> seeds, List<Cell> cells, Map<String, DataSlice> data, List<Run> runs) {
    }

    /**
     * One result line, written by both sides: {@code seconds} is the run's wall time, {@code epochSeconds} the part
     * spent in training epochs, {@code cpuSeconds} the process's CPU time during the run (all its threads), which
     * other processes on the machine inflate less than wall time.
     */
    record Result(String side, String runId, String cell, long seed, double testAccuracy, double trainAccuracy,
            double seconds, double epochSeconds, double cpuSeconds, String engine) {
    }

    private ProtocolBench() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        Path repo = args.path("repo", Path.of("."));
        Path work = args.path("work", repo.resolve("bench/protocol/target/work"));
        Path dataDir = args.path("data", System.getenv(VisionSettings.ENV_DATA_DIR) != null
                ? Path.of(System.getenv(VisionSettings.ENV_DATA_DIR)) : repo.resolve("data"));
        switch (args.get("step", "")) {
            case "prepare" -> prepare(work, dataDir, args.flag("quick") ? Scale.QUICK : Scale.FULL,
                    args.getInt("seeds", 3), args.flag("quick") ? "quick" : "full");
            case "train" -> train(work, dataDir);
            case "table" -> System.out.print(table(work));
            default -> throw new IllegalArgumentException("--step prepare|train|table");
        }
    }

    // ---- prepare ----------------------------------------------------------------------------------------------

    static void prepare(Path work, Path dataDir, Scale scale, int seedCount, String scaleName) throws IOException {
        Files.createDirectories(work.resolve("data"));
        DatasetCatalog catalog = new DatasetCatalog(dataDir, new ImageDecoder(VisionSettings.DEFAULT_MAX_IMAGE_SIDE));
        List<Cell> cells = new ArrayList<>();
        cells.add(new Cell("source", String.format(Locale.ROOT, "source: ResNet-18 from scratch, classes 0-4, %,d "
                + "images, %d epoch%s", scale.sourceSize(), scale.sourceEpochs(),
                scale.sourceEpochs() == 1 ? "" : "s")));
        for (int size : scale.targetSizes()) {
            String n = String.format(Locale.ROOT, "%,d images: ", size);
            cells.add(new Cell(size + "/small-cnn", n + "small CNN from scratch"));
            cells.add(new Cell(size + "/resnet18", n + "ResNet-18 from scratch"));
            cells.add(new Cell(size + "/frozen", n + "frozen source + head"));
            cells.add(new Cell(size + "/fine-tuned-bn-frozen", n + "fine-tuned, batch norm frozen"));
            cells.add(new Cell(size + "/fine-tuned-bn-train", n + "fine-tuned, batch norm train"));
        }
        List<Long> seeds = new ArrayList<>();
        Map<String, DataSlice> data = new LinkedHashMap<>();
        List<Run> runs = new ArrayList<>();
        for (int k = 1; k <= seedCount; k++) {
            // seed 1 is BatchNormTransferIT's pair (source 1, target 7), so its figures can be checked against it
            long sourceSeed = k;
            long targetSeed = k + 6L;
            seeds.add(sourceSeed);
            String sourceId = "source-s" + sourceSeed;
            RunSpec source = RunSpec.builder().dataset("fashion-mnist").classes(SOURCE_CLASSES)
                    .trainSize(scale.sourceSize()).sampling("stratified").testSize(scale.testSize()).imageSize(32)
                    .backbone("resnet18").weights("random").freeze(false).pooling("avg").denseUnits(0)
                    .optimizer("adam").learningRate(0.001).epochs(scale.sourceEpochs()).batchSize(32)
                    .validationSplit(0.0).seed(sourceSeed).build().withDefaults();
            data.put(sourceId, slice(work, sourceId, RunInputs.of(source, catalog), scale.sourceEpochs()));
            runs.add(new Run(sourceId, "source", sourceSeed, sourceId, source));
            for (int size : scale.targetSizes()) {
                String key = "n" + size + "-s" + targetSeed;
                RunSpec target = RunSpec.builder().dataset("fashion-mnist").classes(TARGET_CLASSES)
                        .trainSize(size).sampling("stratified").testSize(scale.testSize()).imageSize(32)
                        .pooling("avg").denseUnits(0).optimizer("adam").learningRate(0.001).epochs(scale.epochs())
                        .batchSize(16).validationSplit(0.0).seed(targetSeed).build();
                data.put(key, slice(work, key, RunInputs.of(target, catalog),
                        scale.epochs() + scale.fineTuneEpochs()));
                String run = "run:" + sourceId;
                // the chapter's from-scratch model: small-cnn under a flatten + dense 256 head with dropout 0.25
                runs.add(new Run(key + "-small-cnn", size + "/small-cnn", targetSeed, key, target.toBuilder()
                        .backbone("small-cnn").weights("random").freeze(false).pooling("flatten").denseUnits(256)
                        .dropout(0.25).build().withDefaults()));
                runs.add(new Run(key + "-resnet18", size + "/resnet18", targetSeed, key, target.toBuilder()
                        .backbone("resnet18").weights("random").freeze(false).build().withDefaults()));
                runs.add(new Run(key + "-frozen", size + "/frozen", targetSeed, key, target.toBuilder()
                        .backbone(run).freeze(true).build().withDefaults()));
                for (String bn : List.of(RunSpec.BATCH_NORM_FROZEN, RunSpec.BATCH_NORM_TRAIN)) {
                    runs.add(new Run(key + "-fine-tuned-bn-" + bn, size + "/fine-tuned-bn-" + bn, targetSeed, key,
                            target.toBuilder().backbone(run).freeze(true).fineTuneEpochs(scale.fineTuneEpochs())
                                    .fineTuneLearningRate(1e-4).batchNorm(bn).build().withDefaults()));
                }
            }
        }
        Manifest manifest = new Manifest(scaleName, seeds, cells, data, runs);
        JSON.writerWithDefaultPrettyPrinter().writeValue(work.resolve("manifest.json").toFile(), manifest);
        System.err.printf(Locale.ROOT, "[protocol] %s: %d runs over %d data slices written to %s%n", scaleName,
                runs.size(), data.size(), work.resolve("manifest.json"));
    }

    private static DataSlice slice(Path work, String key, RunInputs inputs, int epochs) throws IOException {
        if (inputs.trainCount() != inputs.trainAndValidation().size()) {
            throw new IllegalStateException("the protocol has no validation split");
        }
        List<int[]> orders = new ArrayList<>();
        for (int e = 1; e <= epochs; e++) {
            orders.add(inputs.order(e));
        }
        String base = "data/" + key + "-";
        writeIdx(work.resolve(base + "train-images-idx3-ubyte"), work.resolve(base + "train-labels-idx1-ubyte"),
                inputs.trainAndValidation());
        writeIdx(work.resolve(base + "test-images-idx3-ubyte"), work.resolve(base + "test-labels-idx1-ubyte"),
                inputs.test());
        return new DataSlice(base + "train-images-idx3-ubyte", base + "train-labels-idx1-ubyte",
                inputs.trainCount(), base + "test-images-idx3-ubyte", base + "test-labels-idx1-ubyte",
                inputs.test().size(), orders);
    }

    /** Plain IDX files (MNIST's format) with the images' relabelled labels (0..k-1). */
    static void writeIdx(Path images, Path labels, LabeledImages set) throws IOException {
        if (set.channels() != 1) {
            throw new IllegalArgumentException("gray images expected: " + set);
        }
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(images)))) {
            out.writeInt(0x00000803);
            out.writeInt(set.size());
            out.writeInt(set.height());
            out.writeInt(set.width());
            for (int i = 0; i < set.size(); i++) {
                out.write(set.image(i).pixels());
            }
        }
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(labels)))) {
            out.writeInt(0x00000801);
            out.writeInt(set.size());
            for (int i = 0; i < set.size(); i++) {
                out.writeByte(set.label(i));
            }
        }
    }

    // ---- train ------------------------------------------------------------------------------------------------

    static void train(Path work, Path dataDir) throws Exception {
        Manifest manifest = JSON.readValue(work.resolve("manifest.json").toFile(), Manifest.class);
        Path java = work.resolve("vision-core");
        deleteTree(java);
        Path features = java.resolve("features");
        VisionSettings settings = VisionSettings.builder().dataDir(dataDir).weightsDir(java.resolve("weights"))
                .modelStoreDir(java.resolve("models")).featureCacheDir(features).deviceMode(DeviceMode.CPU).build();
        Path results = work.resolve("results-" + VISION_CORE + ".jsonl");
        Files.deleteIfExists(results);
        Engines.pytorch();
        Map<String, String> versions = LibraryVersions.current();
        String engine = String.format(Locale.ROOT, "vision-core on DJL %s, libtorch %s, %s intra-op threads",
                versions.get("djl"), versions.get("pytorch"), System.getProperty("ai.djl.pytorch.num_threads", "?"));
        // runs train on a worker thread created after the engine loaded, as in the trainer service
        ExecutorService worker = Executors.newSingleThreadExecutor(r -> new Thread(r, "protocol-worker"));
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try {
            TransferTrainer trainer = TransferTrainer.create(settings);
            call(worker, () -> warmUp(trainer));
            for (Run run : manifest.runs()) {
                // each cell computes its own frozen features, as it would alone (runs must not share them)
                deleteTree(features);
                Result r = call(worker, () -> {
                    long start = System.nanoTime();
                    long cpu = os.getProcessCpuTime();
                    TrainingOutcome o = trainer.train(run.runId(), run.runId(), run.spec(), null, null);
                    double seconds = (System.nanoTime() - start) / 1e9;
                    double cpuSeconds = (os.getProcessCpuTime() - cpu) / 1e9;
                    double epochSeconds = o.history().stream().mapToLong(EpochMetrics::elapsedMs).sum() / 1e3;
                    if (!"source".equals(run.cell())) {
                        deleteTree(trainer.store().location(o.card()).getParent()); // only sources are reused
                    }
                    return new Result(VISION_CORE, run.runId(), run.cell(), run.seed(), o.metrics().testAccuracy(),
                            o.metrics().trainAccuracy(), seconds, epochSeconds, cpuSeconds, engine);
                });
                Files.writeString(results, JSON.writeValueAsString(r) + "\n", StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                System.err.printf(Locale.ROOT, "[vision-core] %-32s test acc %.4f  %.1f s (epochs %.1f s, CPU %.1f s)"
                        + "%n", run.runId(), r.testAccuracy(), r.seconds(), r.epochSeconds(), r.cpuSeconds());
            }
        } finally {
            worker.shutdownNow();
        }
    }

    /** First calls pay for kernels being chosen and classes loaded: one untimed ResNet-18 run of 64 images. */
    private static Void warmUp(TransferTrainer trainer) throws IOException {
        TrainingOutcome o = trainer.train("warm-up", "warm-up", RunSpec.builder().dataset("fashion-mnist")
                .trainSize(64).testSize(32).imageSize(32).backbone("resnet18").weights("random").freeze(false)
                .pooling("avg").denseUnits(0).optimizer("adam").epochs(1).batchSize(32).validationSplit(0.0)
                .seed(1L).build(), null, null);
        deleteTree(trainer.store().location(o.card()).getParent());
        return null;
    }

    private interface Job<T> {
        T run() throws Exception;
    }

    private static <T> T call(ExecutorService worker, Job<T> job) throws Exception {
        Future<T> f = worker.submit(job::run);
        try {
            return f.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
    }

    // ---- table ------------------------------------------------------------------------------------------------

    static String table(Path work) throws IOException {
        Manifest manifest = JSON.readValue(work.resolve("manifest.json").toFile(), Manifest.class);
        Map<String, List<Result>> torch = results(work.resolve("results-" + PYTORCH + ".jsonl"));
        Map<String, List<Result>> vc = results(work.resolve("results-" + VISION_CORE + ".jsonl"));
        Table t = new Table("cell", "PyTorch acc", "vision-core acc", "PyTorch s (median / mean)",
                "vision-core s (median / mean)", "acc >= PyTorch mean - 2 sd", "median time <= PyTorch",
                "CPU s median (PyTorch / vision-core)");
        int accMet = 0;
        int accCompared = 0;
        int timeMet = 0;
        int compared = 0;
        for (Cell cell : manifest.cells()) {
            Stats ptAcc = Stats.of(torch.get(cell.id()), Result::testAccuracy);
            Stats vcAcc = Stats.of(vc.get(cell.id()), Result::testAccuracy);
            Stats ptSec = Stats.of(torch.get(cell.id()), Result::seconds);
            Stats vcSec = Stats.of(vc.get(cell.id()), Result::seconds);
            Stats ptCpu = Stats.of(torch.get(cell.id()), Result::cpuSeconds);
            Stats vcCpu = Stats.of(vc.get(cell.id()), Result::cpuSeconds);
            String acc = "-";
            String time = "-";
            if (ptAcc.n() > 0 && vcAcc.n() > 0) {
                compared++;
                if (ptAcc.n() < 2) {
                    acc = "n/a (1 seed)";
                } else {
                    boolean met = vcAcc.mean() >= ptAcc.mean() - 2 * ptAcc.sd();
                    accMet += met ? 1 : 0;
                    accCompared++;
                    acc = met ? "yes" : "**no**";
                }
                // The median, not the mean: on a shared machine one run of three can take 20 times as long as its
                // siblings (measured: 72 s against 3.6 and 3.9 s for the same work), and a mean would judge that.
                boolean fast = vcSec.median() <= ptSec.median();
                timeMet += fast ? 1 : 0;
                time = String.format(Locale.ROOT, "%s (%.2fx)", fast ? "yes" : "**no**",
                        ptSec.median() / vcSec.median());
            }
            t.row(cell.label(), ptAcc.accuracy(), vcAcc.accuracy(), ptSec.seconds(), vcSec.seconds(), acc, time,
                    ptCpu.medianSeconds() + " / " + vcCpu.medianSeconds());
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Protocol (%s), seeds %s: test accuracy mean ± sd over the seeds; "
                + "seconds: median and mean over the seeds of a run's wall time (data sampling to trained and "
                + "evaluated model); the time verdict compares medians%n%n",
                manifest.scale(), manifest.seeds()));
        sb.append(t.render());
        sb.append(String.format(Locale.ROOT, "%naccuracy target met in %s, time target in %d of %d cells%n",
                accCompared == 0 ? "no cell (it needs 2 seeds or more)" : accMet + " of " + accCompared + " cells",
                timeMet, compared));
        for (Map<String, List<Result>> side : List.of(torch, vc)) {
            side.values().stream().flatMap(List::stream).findFirst()
                    .ifPresent(r -> sb.append(r.side()).append(": ").append(r.engine()).append('\n'));
        }
        return sb.toString();
    }

    private static Map<String, List<Result>> results(Path file) throws IOException {
        Map<String, List<Result>> byCell = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            return byCell;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                Result r = JSON.readValue(line, Result.class);
                byCell.computeIfAbsent(r.cell(), k -> new ArrayList<>()).add(r);
            }
        }
        return byCell;
    }

    /** Mean, sample standard deviation (n - 1) and median of one figure over a cell's seeds. */
    record Stats(int n, double mean, double sd, double median) {

        static Stats of(List<Result> results, ToDoubleFunction<Result> figure) {
            if (results == null || results.isEmpty()) {
                return new Stats(0, Double.NaN, Double.NaN, Double.NaN);
            }
            double[] v = results.stream().mapToDouble(figure).sorted().toArray();
            double mean = Arrays.stream(v).average().orElseThrow();
            double ss = Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum();
            double median = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
            return new Stats(v.length, mean, v.length < 2 ? Double.NaN : Math.sqrt(ss / (v.length - 1)), median);
        }

        String accuracy() {
            if (n == 0) {
                return "-";
            }
            return n < 2 ? String.format(Locale.ROOT, "%.4f (1 seed)", mean)
                    : String.format(Locale.ROOT, "%.4f ± %.4f", mean, sd);
        }

        String seconds() {
            return n == 0 ? "-" : String.format(Locale.ROOT, "%.1f / %.1f", median, mean);
        }

        String medianSeconds() {
            return n == 0 ? "-" : String.format(Locale.ROOT, "%.1f", median);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
