package io.transferlab.vision.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.transferlab.contracts.classify.Prediction;
import io.transferlab.contracts.train.RunSpec;
import io.transferlab.vision.Classifier;
import io.transferlab.vision.TestData;
import io.transferlab.vision.VisionSettings;
import io.transferlab.vision.data.DatasetCatalog;
import io.transferlab.vision.data.LabeledImages;
import io.transferlab.vision.image.DecodedImage;
import io.transferlab.vision.image.ImageDecoder;
import io.transferlab.vision.train.TrainingOutcome;
import io.transferlab.vision.train.TransferTrainer;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stored model serves 2,000 predictions from 4 threads (PNG bytes one at a time and batches of 8) with the
 * answers a single thread gets, while the process' resident memory stays flat: every call's native memory is
 * released. At 64 px each prediction makes about 1 MB of intermediate tensors, so a leak would show as gigabytes.
 */
class ClassifierMemoryIT {

    @TempDir
    Path work;

    @Test
    void twoThousandPredictionsFromFourThreadsKeepNativeMemoryBounded() throws Exception {
        VisionSettings settings = TestData.settings(work);
        TrainingOutcome trained = TransferTrainer.create(settings).train("mem-run", "mem-model", RunSpec.builder()
                .dataset("mnist").trainSize(300).testSize(100).imageSize(64).backbone("small-cnn").weights("random")
                .denseUnits(32).epochs(1).batchSize(32).seed(3L).build(), null, null);
        LabeledImages test = new DatasetCatalog(settings.dataDir(), new ImageDecoder(64)).load("mnist", null).test()
                .head(200);
        List<byte[]> pngs = new ArrayList<>();
        for (int i = 0; i < test.size(); i++) {
            pngs.add(png(test.image(i)));
        }
        try (Classifier classifier = new ModelStore(settings.modelStoreDir()).openClassifier("mem-model")) {
            assertThat(classifier.version()).isEqualTo(trained.modelVersion());
            List<Integer> expected = new ArrayList<>();
            for (byte[] p : pngs) {
                expected.add(classifier.classify(p, 1).get(0).classIndex());
            }
            ExecutorService pool = Executors.newFixedThreadPool(4);
            run(pool, classifier, pngs, expected, 50); // warm up: a predictor and its arenas per thread
            System.gc();
            long before = residentBytes();
            long start = System.nanoTime();
            int predictions = run(pool, classifier, pngs, expected, 500);
            long elapsedMs = (System.nanoTime() - start) / 1_000_000;
            System.gc();
            long after = residentBytes();
            pool.shutdown();
            System.out.printf("%d predictions on 4 threads in %d ms; resident memory %d MB before, %d MB after "
                    + "(%+d MB)%n", predictions, elapsedMs, before >> 20, after >> 20, (after - before) >> 20);
            assertThat(predictions).isEqualTo(2000);
            assertThat(after - before).isLessThan(150L << 20);
            assertThat(classifier.parameterBytes()).isEqualTo(4 * trained.card().parameterCount());
        }
    }

    /** Each of 4 threads makes {@code perThread} predictions: half single images, half in batches of 8. */
    private static int run(ExecutorService pool, Classifier classifier, List<byte[]> pngs, List<Integer> expected,
            int perThread) throws Exception {
        List<Future<Integer>> futures = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int offset = t * 37;
            futures.add(pool.submit(() -> {
                int made = 0;
                int i = offset;
                while (made < perThread) {
                    if (made % 16 < 8) {
                        int k = i++ % pngs.size();
                        Prediction top = classifier.classify(pngs.get(k), 3).get(0);
                        assertThat(top.classIndex()).isEqualTo(expected.get(k));
                        made++;
                    } else {
                        List<DecodedImage> batch = new ArrayList<>();
                        List<Integer> indices = new ArrayList<>();
                        for (int b = 0; b < 8; b++) {
                            int k = i++ % pngs.size();
                            indices.add(k);
                            batch.add(classifier.decoder().decode(pngs.get(k)));
                        }
                        List<List<Prediction>> result = classifier.classify(batch, 2);
                        for (int b = 0; b < 8; b++) {
                            assertThat(result.get(b).get(0).classIndex()).isEqualTo(expected.get(indices.get(b)));
                        }
                        made += 8;
                    }
                }
                return made;
            }));
        }
        int total = 0;
        for (Future<Integer> f : futures) {
            total += f.get();
        }
        return total;
    }

    private static byte[] png(DecodedImage image) throws IOException {
        BufferedImage img = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_BYTE_GRAY);
        img.getRaster().setDataElements(0, 0, image.width(), image.height(), image.pixels());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    private static long residentBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
