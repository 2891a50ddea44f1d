package io.transferlab.bench.vision;

import io.transferlab.contracts.train.RunSpec;
import io.transferlab.vision.DeviceMode;
import io.transferlab.vision.VisionSettings;
import io.transferlab.vision.train.TrainingOutcome;
import io.transferlab.vision.train.TransferTrainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The chapter's tuning grid (dense units 256/512 x dropout 0.1/0.3 x batch size 10/30, 5 epochs, frozen ResNet-50
 * at 224 px under a flatten + dense head) run twice: with the frozen-feature cache off (the backbone runs on every
 * batch of every epoch, as Keras does) and on (features computed once, then shared by the 8 trials). The default
 * size finishes within about 15 minutes on 2 cores; {@code --full} is the chapter's 2,000 + 2,000 images.
 */
public final class CacheGridBench {

    public static void main(String[] argv) throws IOException {
        Args args = new Args(argv);
        Path repo = args.path("repo", Path.of("."));
        Path work = args.path("work", repo.resolve("bench/vision/target/grid"));
        boolean full = args.flag("full");
        int trainSize = args.getInt("train-size", full ? 2000 : 100);
        int testSize = args.getInt("test-size", full ? 2000 : 50);
        String dataset = args.get("dataset", "fashion-mnist");
        String backbone = args.get("backbone", "resnet50");
        String weights = args.get("weights", "random");
        Path dataDir = args.path("data", System.getenv("TRANSFERLAB_DATA_DIR") != null
                ? Path.of(System.getenv("TRANSFERLAB_DATA_DIR")) : repo.resolve("data"));
        Path weightsDir = args.path("weights-dir", repo.resolve("bench/vision/target/work"));
        List<String> modes = args.strings("modes", "uncached,cached");

        RunSpec.Builder base = RunSpec.builder()
                .dataset(dataset).trainSize(trainSize).testSize(testSize).imageSize(224).preprocessing("torch")
                .backbone(backbone).freeze(true).pooling("flatten")
                .optimizer("rmsprop").learningRate(1e-4).epochs(5).validationSplit(0.2).seed(42L);
        if (!backbone.startsWith("torchscript:") && !backbone.startsWith("run:")) {
            base.weights(weights);
        }
        int[] units = {256, 512};
        double[] dropouts = {0.1, 0.3};
        int[] batchSizes = {10, 30};

        Table trials = new Table("trial", "dense units", "dropout", "batch", "mode", "test acc", "val acc", "seconds");
        List<String> totals = new ArrayList<>();
        double[] wall = new double[modes.size()];
        for (int m = 0; m < modes.size(); m++) {
            String mode = modes.get(m);
            Path dir = work.resolve(mode);
            deleteTree(dir);
            VisionSettings settings = VisionSettings.builder().dataDir(dataDir).weightsDir(weightsDir)
                    .modelStoreDir(dir.resolve("models")).featureCacheDir(dir.resolve("features"))
                    .featureCacheMaxBytes(mode.equals("cached") ? 16L << 30 : 0).deviceMode(DeviceMode.CPU).build();
            TransferTrainer trainer = TransferTrainer.create(settings);
            long start = System.nanoTime();
            int trial = 0;
            for (int u : units) {
                for (double d : dropouts) {
                    for (int b : batchSizes) {
                        trial++;
                        long t = System.nanoTime();
                        RunSpec spec = base.denseUnits(u).dropout(d).batchSize(b).build();
                        TrainingOutcome o = trainer.train(mode + "-" + trial, "grid-" + mode, spec, null, null);
                        double s = (System.nanoTime() - t) / 1e9;
                        trials.row(trial, u, d, b, mode, fmt(o.metrics().testAccuracy()),
                                fmt(o.metrics().valAccuracy()), String.format(Locale.ROOT, "%.1f", s));
                        System.err.printf(Locale.ROOT, "%s trial %d (units %d, dropout %.1f, batch %d): test acc %.4f"
                                + " in %.1f s%n", mode, trial, u, d, b, o.metrics().testAccuracy(), s);
                    }
                }
            }
            wall[m] = (System.nanoTime() - start) / 1e9;
            totals.add(String.format(Locale.ROOT, "%s: %.1f s for 8 trials", mode, wall[m]));
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "Chapter grid on %s, %d train images (%d after the 0.2 validation split), %d test "
                + "images, 224 px, backbone %s (%s), frozen, 5 epochs per trial%n%n", dataset, trainSize,
                (int) Math.floor(trainSize * 0.8), testSize, backbone, weights);
        System.out.println(trials.render());
        totals.forEach(System.out::println);
        if (modes.size() == 2) {
            System.out.printf(Locale.ROOT, "speed-up with the feature cache: %.1fx less wall time%n", wall[0] / wall[1]);
        }
    }

    private static String fmt(Double d) {
        return d == null ? "-" : String.format(Locale.ROOT, "%.4f", d);
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
