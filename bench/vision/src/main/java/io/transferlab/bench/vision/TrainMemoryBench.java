package io.transferlab.bench.vision;

import io.transferlab.contracts.train.RunSpec;
import io.transferlab.vision.VisionSettings;
import io.transferlab.vision.model.Architecture;
import io.transferlab.vision.train.MemoryEstimate;
import io.transferlab.vision.train.TransferTrainer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The trainer's memory estimate (vision-core MemoryEstimate) against the peak resident set of a real training run:
 * each configuration trains in a JVM of its own (peak RSS is per process: VmHWM of /proc/self/status), one at a
 * time, on MNIST images resized to the configuration's side, with the feature cache off (a frozen backbone runs
 * its forward pass on every batch, as the estimate assumes). Configurations: {@code arch:side:batch:train|frozen}.
 */
public final class TrainMemoryBench {

    private TrainMemoryBench() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        if (args.flag("one")) {
            one(args);
            return;
        }
        String configs = args.get("configs", "small-cnn:28:32:train,resnet50:224:4:frozen,resnet50:224:4:train,"
                + "resnet50:224:8:train");
        List<String> rows = new ArrayList<>();
        for (String config : configs.split(",")) {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-Xmx1g", "-Dai.djl.pytorch.num_threads=2", "-Dai.djl.pytorch.num_interop_threads=1",
                    "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", System.getProperty("java.class.path"),
                    TrainMemoryBench.class.getName(), "--one", "--config", config, "--repo",
                    args.path("repo", Path.of(".")).toString(), "--train-size", args.get("train-size", "16")));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String row = null;
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null;) {
                    if (line.startsWith("ROW ")) {
                        row = line.substring(4);
                    } else {
                        System.err.println("  " + line);
                    }
                }
            }
            int exit = p.waitFor();
            rows.add(row != null ? row : "| " + config + " | exited " + exit + " | | | |");
            System.err.println("[bench] " + config + " done");
        }
        System.out.println("| config (arch:side:batch:mode) | estimate | of which activations | peak RSS | estimate / RSS |");
        System.out.println("|---|---|---|---|---|");
        rows.forEach(System.out::println);
    }

    private static void one(Args args) throws IOException {
        String[] c = args.get("config", "").split(":");
        String arch = c[0];
        int side = Integer.parseInt(c[1]);
        int batch = Integer.parseInt(c[2]);
        boolean frozen = "frozen".equals(c[3]);
        int trainSize = args.getInt("train-size", 16);
        Path repo = args.path("repo", Path.of("."));
        Path work = Files.createTempDirectory("train-memory-bench-");
        VisionSettings settings = VisionSettings.builder().dataDir(repo.resolve("data"))
                .modelStoreDir(work.resolve("models")).featureCacheDir(work.resolve("features"))
                .featureCacheMaxBytes(0).build();
        RunSpec spec = RunSpec.builder().dataset("mnist").trainSize(trainSize).testSize(batch).backbone(arch)
                .weights("random").freeze(frozen).imageSize(side).batchSize(batch).epochs(1).validationSplit(0.0)
                .denseUnits(64).optimizer("adam").seed(1L).build().withDefaults();
        MemoryEstimate estimate = MemoryEstimate.of(spec, Architecture.parse(arch), 0, 1, 10,
                (long) (trainSize + batch) * 28 * 28);
        TransferTrainer trainer = TransferTrainer.create(settings);
        trainer.train("bench-" + System.nanoTime(), "bench-memory", spec, null, null);
        long peak = statusKb("VmHWM") * 1024;
        System.out.printf(Locale.ROOT, "ROW | %s | %s | %s | %s | %.2f |%n", String.join(":", c),
                MemoryEstimate.mib(estimate.totalBytes()), MemoryEstimate.mib(estimate.activationBytes()),
                MemoryEstimate.mib(peak), (double) estimate.totalBytes() / peak);
    }

    private static long statusKb(String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
