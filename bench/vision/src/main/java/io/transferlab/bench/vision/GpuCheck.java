package io.transferlab.bench.vision;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.util.cuda.CudaUtils;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.transferlab.contracts.train.EpochMetrics;
import io.transferlab.contracts.train.RunSpec;
import io.transferlab.vision.DeviceMode;
import io.transferlab.vision.Devices;
import io.transferlab.vision.Engines;
import io.transferlab.vision.VisionSettings;
import io.transferlab.vision.model.Architecture;
import io.transferlab.vision.model.GlorotUniform;
import io.transferlab.vision.model.Network;
import io.transferlab.vision.train.TrainingListener;
import io.transferlab.vision.train.TrainingOutcome;
import io.transferlab.vision.train.TransferTrainer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The trainer's GPU path, checked step by step (issue: "the GPU-backed trainer, proven on a real accelerator").
 * Each check runs in its own JVM ({@code --check NAME}; bench/gpu/checks starts them) and appends one JSON line to
 * {@code --results}, so a native crash costs one row, not the report. {@code --check report} turns a results file,
 * and optionally the CPU figures measured on our own machine ({@code --cpu-results}), into Markdown and JSON.
 * With the CPU engine it runs the same code on the CPU and says so: that is how it is tested without a GPU.
 */
public final class GpuCheck {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SIDE = 224;

    private final Args args;
    private final Path data;
    private final Path work;
    private final DeviceMode mode;

    private GpuCheck(Args args) {
        this.args = args;
        this.data = args.path("data", Path.of("data"));
        this.work = args.path("work", Path.of("target/gpu-check"));
        this.mode = DeviceMode.valueOf(args.get("device", "auto").toUpperCase(Locale.ROOT));
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        String check = args.get("check", "device");
        if (check.equals("report")) {
            Report.write(args);
            return;
        }
        GpuCheck gpuCheck = new GpuCheck(args);
        ObjectNode row = JSON.createObjectNode().put("check", check);
        long started = System.nanoTime();
        // DJL's engine work runs on a thread created after the engine loaded, as in the services
        Engines.pytorch();
        ExecutorService worker = Executors.newSingleThreadExecutor(r -> new Thread(r, "gpu-check"));
        try {
            worker.submit(() -> {
                gpuCheck.run(check, row);
                return null;
            }).get();
            row.put("ok", true);
        } catch (java.util.concurrent.ExecutionException e) {
            row.put("ok", false).put("error", String.valueOf(e.getCause()));
            e.getCause().printStackTrace();
        } finally {
            worker.shutdown();
        }
        row.put("seconds", round((System.nanoTime() - started) / 1e9, 2));
        Path results = args.path("results", Path.of("results.jsonl"));
        Files.createDirectories(results.toAbsolutePath().getParent());
        Files.writeString(results, JSON.writeValueAsString(row) + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        System.out.println(JSON.writeValueAsString(row));
        System.exit(row.get("ok").asBoolean() ? 0 : 1);
    }

    private void run(String check, ObjectNode row) throws Exception {
        Device device = Devices.select(mode);
        row.put("device", Devices.describe(device)).put("gpus", ai.djl.engine.Engine.getInstance().getGpuCount())
                .put("engine", ai.djl.engine.Engine.getInstance().getEngineName() + " "
                        + ai.djl.engine.Engine.getInstance().getVersion());
        switch (check) {
            case "device" -> { }
            case "small-cnn" -> smallCnn(row);
            case "resnet18" -> resnet18(row);
            case "grid" -> grid(row);
            case "forward" -> forward(device, row);
            case "memory" -> memory(device, row);
            default -> throw new IllegalArgumentException("unknown check " + check
                    + " (device, small-cnn, resnet18, grid, forward, memory, report)");
        }
    }

    private TransferTrainer trainer(String name, long cacheBytes) {
        Path dir = work.resolve(name);
        return TransferTrainer.create(VisionSettings.builder().dataDir(data).weightsDir(dir.resolve("weights"))
                .modelStoreDir(dir.resolve("models")).featureCacheDir(dir.resolve("features"))
                .featureCacheMaxBytes(cacheBytes).deviceMode(mode).build());
    }

    /** The small CNN from scratch on 2,000 MNIST images, 5 epochs, seed 42: accuracy and wall time. */
    private void smallCnn(ObjectNode row) {
        RunSpec spec = RunSpec.builder().dataset("mnist").trainSize(2000).testSize(1000).imageSize(28)
                .backbone("small-cnn").weights("random").epochs(args.getInt("epochs", 5)).batchSize(32)
                .seed(42L).build();
        TrainingOutcome o = trainer("small-cnn", 0).train("small-cnn", "gpu-check-small-cnn", spec, null, null);
        outcome(row, o);
    }

    /** ResNet-18 from scratch at 32 px on Fashion-MNIST classes 0-4, then fine-tuned on classes 5-9. */
    private void resnet18(ObjectNode row) {
        TransferTrainer trainer = trainer("resnet18", 0);
        RunSpec source = RunSpec.builder().dataset("fashion-mnist").classes(List.of(0, 1, 2, 3, 4))
                .trainSize(args.getInt("source-size", 5000)).testSize(1000).imageSize(32).backbone("resnet18")
                .weights("random").freeze(false).optimizer("adam").learningRate(1e-3).epochs(2).batchSize(64)
                .seed(42L).build();
        TrainingOutcome s = trainer.train("resnet18-source", "gpu-check-resnet18", source, null, null);
        ObjectNode src = row.putObject("source");
        outcome(src, s);
        RunSpec target = RunSpec.builder().dataset("fashion-mnist").classes(List.of(5, 6, 7, 8, 9))
                .trainSize(200).testSize(800).imageSize(32).backbone("run:resnet18-source").freeze(true)
                .optimizer("adam").learningRate(1e-3).epochs(3).fineTuneEpochs(3).fineTuneLearningRate(1e-4)
                .batchSize(20).seed(42L).build();
        TrainingOutcome t = trainer.train("resnet18-target", "gpu-check-resnet18-target", target, null, null);
        outcome(row.putObject("fine_tuned"), t);
    }

    /** The chapter's grid on a frozen ResNet-50 (random weights) at 224 px with the feature cache: 8 trials. */
    private void grid(ObjectNode row) {
        int trainSize = args.getInt("grid-train-size", 100);
        int testSize = args.getInt("grid-test-size", 50);
        TransferTrainer trainer = trainer("grid", 16L << 30);
        RunSpec.Builder base = RunSpec.builder().dataset("fashion-mnist").trainSize(trainSize).testSize(testSize)
                .imageSize(SIDE).preprocessing("torch").backbone("resnet50").weights("random").freeze(true)
                .pooling("flatten").optimizer("rmsprop").learningRate(1e-4).epochs(5).validationSplit(0.2)
                .seed(42L);
        List<Double> seconds = new ArrayList<>();
        int trial = 0;
        for (int units : new int[] {256, 512}) {
            for (double dropout : new double[] {0.1, 0.3}) {
                for (int batch : new int[] {10, 30}) {
                    long t = System.nanoTime();
                    trainer.train("grid-" + ++trial, "gpu-check-grid", base.denseUnits(units).dropout(dropout)
                            .batchSize(batch).build(), null, null);
                    seconds.add((System.nanoTime() - t) / 1e9);
                }
            }
        }
        // the first trial pays for the frozen features of every image; the others reuse them
        double headOnly = seconds.subList(1, seconds.size()).stream().mapToDouble(Double::doubleValue).average()
                .orElse(Double.NaN);
        double extraction = Math.max(seconds.get(0) - headOnly, 1e-9);
        row.put("images", trainSize + testSize).put("first_trial_s", round(seconds.get(0), 2))
                .put("later_trial_mean_s", round(headOnly, 2)).put("grid_s", round(seconds.stream()
                        .mapToDouble(Double::doubleValue).sum(), 2))
                .put("feature_images_per_s", round((trainSize + testSize) / extraction, 1))
                .put("head_images_per_s", round(5 * Math.floor(trainSize * 0.8) / headOnly, 1));
    }

    /** ResNet-50 features (vision-core's blocks) at 224 px: images/s per batch size, fp32 or bf16. */
    private void forward(Device device, ObjectNode row) {
        String precision = args.get("precision", "fp32");
        List<Integer> batches = args.ints("batches", device.isGpu() ? "1,64,256" : "1,8");
        double seconds = args.getDouble("seconds", device.isGpu() ? 10 : 20);
        JniUtils.setGradMode(false);
        ObjectNode rates = row.put("precision", precision).putObject("images_per_s");
        try (Model model = Model.newInstance("resnet50-features", device, Engines.PYTORCH)) {
            NDManager manager = model.getNDManager();
            DataType type = precision.equals("bf16") ? DataType.BFLOAT16 : DataType.FLOAT32;
            // DJL 0.36's Block.cast only throws, so a bf16 network is initialised in bf16 from the start
            Block block = Architecture.RESNET50.newBlock();
            block.setInitializer(new GlorotUniform(1), Parameter.Type.WEIGHT);
            block.initialize(manager, type, Network.inputShape(SIDE));
            ParameterStore store = new ParameterStore(manager, false);
            for (int batch : batches) {
                rates.put(String.valueOf(batch), round(rate(block, store, manager, batch, type, seconds), 1));
            }
        }
    }

    private static double rate(Block block, ParameterStore store, NDManager manager, int batch, DataType type,
            double seconds) {
        List<Double> rates = new ArrayList<>();
        long deadline = 0;
        for (int i = 0; ; i++) {
            if (i == 3) {
                deadline = System.nanoTime() + (long) (seconds * 1e9);
            }
            long t = System.nanoTime();
            try (NDManager scope = manager.newSubManager()) {
                NDArray x = scope.randomUniform(0, 1, new Shape(batch, 3, SIDE, SIDE)).toType(type, false);
                NDArray out = block.forward(store, new NDList(x), false).singletonOrThrow();
                // reading one value back waits for the device: the time covers the whole forward pass
                out.get(0).toType(DataType.FLOAT32, false).sum().getFloat();
            }
            if (i >= 3) {
                rates.add(batch / ((System.nanoTime() - t) / 1e9));
                if (System.nanoTime() > deadline && rates.size() >= 3) {
                    break;
                }
            }
        }
        rates.sort(Double::compare);
        return rates.get(rates.size() / 2);
    }

    /**
     * Native memory over about 1,000 training batches (small CNN, 6,000 MNIST images, batch 32, 6 epochs): process
     * RSS and, on a GPU, device memory in use, after every epoch. Growth from the second epoch on is a leak.
     */
    private void memory(Device device, ObjectNode row) {
        int images = args.getInt("memory-train-size", 6000);
        int epochs = args.getInt("memory-epochs", 6);
        RunSpec spec = RunSpec.builder().dataset("mnist").trainSize(images).testSize(500).imageSize(28)
                .backbone("small-cnn").weights("random").epochs(epochs).batchSize(32).validationSplit(0.0)
                .seed(7L).build();
        List<long[]> samples = new ArrayList<>();
        TrainingListener sampler = new TrainingListener() {
            @Override
            public void onEpoch(EpochMetrics metrics, int totalEpochs, double imagesPerSecond) {
                long gpu = device.isGpu() ? CudaUtils.getGpuMemory(device).getUsed() : -1;
                samples.add(new long[] {rssBytes(), gpu});
            }
        };
        trainer("memory", 0).train("memory", "gpu-check-memory", spec, sampler, null);
        row.put("batches", (long) Math.ceil(images / 32.0) * epochs);
        var rss = row.putArray("rss_mb_per_epoch");
        var gpu = row.putArray("gpu_used_mb_per_epoch");
        for (long[] s : samples) {
            rss.add(s[0] >> 20);
            if (s[1] >= 0) {
                gpu.add(s[1] >> 20);
            }
        }
        long[] second = samples.get(Math.min(1, samples.size() - 1));
        long[] last = samples.get(samples.size() - 1);
        row.put("rss_growth_mb", (last[0] - second[0]) >> 20);
        if (last[1] >= 0) {
            row.put("gpu_growth_mb", (last[1] - second[1]) >> 20);
        }
    }

    private static void outcome(ObjectNode row, TrainingOutcome o) {
        row.put("device", o.device()).put("test_accuracy", round(o.metrics().testAccuracy(), 4))
                .put("train_s", round(o.durationMs() / 1000.0, 2))
                .put("images_per_s", round(o.imagesPerSecond(), 1));
        var losses = row.putArray("loss_per_epoch");
        o.history().forEach(e -> losses.add(round(e.loss(), 4)));
    }

    static long rssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }

    static double round(Double v, int digits) {
        if (v == null || v.isNaN() || v.isInfinite()) {
            return Double.NaN;
        }
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    /** Markdown and JSON from the JSON lines of one or two runs (the accelerator's, and the CPU's beside it). */
    static final class Report {

        private Report() {
        }

        static void write(Args args) throws IOException {
            Map<String, JsonNode> gpu = read(args.path("results", Path.of("results.jsonl")));
            Path cpuFile = args.path("cpu-results", null);
            Map<String, JsonNode> cpu = cpuFile != null && Files.exists(cpuFile) ? read(cpuFile) : Map.of();
            Map<String, JsonNode> peer = readPeer(args.path("peer", null));
            Path out = args.path("out", Path.of("."));
            Files.createDirectories(out);
            StringBuilder md = new StringBuilder("# GPU check\n\n");
            JsonNode device = gpu.get("device");
            md.append("Device picked by `auto`: ").append(device == null ? "-" : device.path("device").asText())
                    .append(" (GPUs seen: ").append(device == null ? "-" : device.path("gpus").asText())
                    .append(", engine ").append(device == null ? "-" : device.path("engine").asText()).append(")\n\n");
            Table t = new Table("check", "this run", "CPU (our 2-core machine)", "ok");
            for (String check : List.of("small-cnn", "resnet18", "grid", "memory")) {
                t.row(check, summary(gpu.get(check)), summary(cpu.get(check)),
                        gpu.containsKey(check) ? gpu.get(check).path("ok").asText() : "not run");
            }
            md.append(t.render()).append('\n');
            Table f = new Table("ResNet-50 features 224 px", "batch", "DJL img/s", "PyTorch img/s", "DJL / PyTorch");
            for (Map.Entry<String, JsonNode> e : gpu.entrySet()) {
                if (!e.getKey().startsWith("forward")) {
                    continue;
                }
                String precision = e.getValue().path("precision").asText();
                if (!e.getValue().path("ok").asBoolean()) {
                    f.row(precision, "-", "failed: " + e.getValue().path("error").asText(), "", "");
                    continue;
                }
                e.getValue().path("images_per_s").fields().forEachRemaining(r -> {
                    JsonNode p = peer.get(precision + "/" + r.getKey());
                    double djl = r.getValue().asDouble();
                    double ref = p == null ? Double.NaN : p.path("images_per_second").asDouble();
                    f.row(precision, r.getKey(), String.format(Locale.ROOT, "%.1f", djl),
                            p == null ? "-" : String.format(Locale.ROOT, "%.1f", ref),
                            p == null ? "-" : String.format(Locale.ROOT, "%.2f", djl / ref));
                });
            }
            md.append('\n').append(f.render()).append('\n');
            Files.writeString(out.resolve("report.md"), md.toString());
            ObjectNode all = JSON.createObjectNode();
            all.set("run", JSON.valueToTree(gpu));
            all.set("cpu", JSON.valueToTree(cpu));
            all.set("pytorch", JSON.valueToTree(peer));
            Files.writeString(out.resolve("report.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(all));
            System.out.println(md);
        }

        private static String summary(JsonNode n) {
            if (n == null) {
                return "-";
            }
            if (!n.path("ok").asBoolean()) {
                return "failed: " + n.path("error").asText();
            }
            return switch (n.path("check").asText()) {
                case "small-cnn" -> String.format(Locale.ROOT, "acc %.4f, %.1f s", n.path("test_accuracy").asDouble(),
                        n.path("train_s").asDouble());
                case "resnet18" -> String.format(Locale.ROOT, "source acc %.4f (%.1f s), fine-tuned acc %.4f, "
                                + "losses %s", n.path("source").path("test_accuracy").asDouble(),
                        n.path("source").path("train_s").asDouble(), n.path("fine_tuned").path("test_accuracy")
                                .asDouble(), n.path("fine_tuned").path("loss_per_epoch"));
                case "grid" -> String.format(Locale.ROOT, "features %.1f img/s, head %.1f img/s, grid %.1f s",
                        n.path("feature_images_per_s").asDouble(), n.path("head_images_per_s").asDouble(),
                        n.path("grid_s").asDouble());
                case "memory" -> String.format(Locale.ROOT, "%d batches, RSS growth %d MB%s",
                        n.path("batches").asLong(), n.path("rss_growth_mb").asLong(), n.has("gpu_growth_mb")
                                ? ", GPU growth " + n.path("gpu_growth_mb").asLong() + " MB" : "");
                default -> n.toString();
            };
        }

        private static Map<String, JsonNode> read(Path file) throws IOException {
            Map<String, JsonNode> rows = new LinkedHashMap<>();
            for (String line : Files.readAllLines(file)) {
                if (!line.isBlank()) {
                    JsonNode n = JSON.readTree(line);
                    String key = n.path("check").asText();
                    if (key.equals("forward")) {
                        key += "-" + n.path("precision").asText();
                    }
                    rows.put(key, n);
                }
            }
            return rows;
        }

        private static Map<String, JsonNode> readPeer(Path file) throws IOException {
            Map<String, JsonNode> rows = new LinkedHashMap<>();
            if (file == null || !Files.exists(file)) {
                return rows;
            }
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith("{")) {
                    JsonNode n = JSON.readTree(line);
                    rows.put(n.path("precision").asText() + "/" + n.path("batch").asText(), n);
                }
            }
            return rows;
        }
    }
}
