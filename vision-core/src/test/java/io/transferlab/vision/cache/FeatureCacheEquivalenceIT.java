package io.transferlab.vision.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.transferlab.contracts.train.EpochMetrics;
import io.transferlab.contracts.train.RunSpec;
import io.transferlab.vision.TestData;
import io.transferlab.vision.VisionSettings;
import io.transferlab.vision.train.CancellationToken;
import io.transferlab.vision.train.TrainingListener;
import io.transferlab.vision.train.TrainingOutcome;
import io.transferlab.vision.train.TransferTrainer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training a head on cached frozen features gives the results of running the frozen backbone on every batch,
 * within float tolerance, and a second trial reuses the cached features.
 */
class FeatureCacheEquivalenceIT {

    @TempDir
    Path work;

    @Test
    void frozenSmallCnnOnCachedFeaturesMatchesTheUncachedRun() {
        RunSpec spec = RunSpec.builder()
                .dataset("fashion-mnist").trainSize(600).testSize(500)
                .backbone("small-cnn").weights("random").freeze(true)
                .denseUnits(64).dropout(0.2).optimizer("adam").learningRate(0.001)
                .epochs(3).batchSize(32).validationSplit(0.2).seed(11L)
                .build();
        compare(spec, "small-cnn");
    }

    @Test
    void frozenResnet18WithBatchNormInInferenceModeMatchesTheUncachedRun() {
        RunSpec spec = RunSpec.builder()
                .dataset("mnist").trainSize(300).testSize(200).imageSize(32)
                .backbone("resnet18").weights("random").freeze(true).pooling("avg")
                .denseUnits(32).dropout(0.1).optimizer("rmsprop").learningRate(0.001)
                .epochs(2).batchSize(25).validationSplit(0.2).seed(5L)
                .build();
        compare(spec, "resnet18");
    }

    private void compare(RunSpec spec, String name) {
        VisionSettings cached = TestData.settings(work.resolve("cached"));
        VisionSettings uncached = cached.toBuilder().modelStoreDir(work.resolve("uncached-models"))
                .featureCacheMaxBytes(0).build();
        TransferTrainer withCache = TransferTrainer.create(cached);
        long t0 = System.nanoTime();
        TrainingOutcome a = withCache.train("cached-1", "m", spec, TrainingListener.NONE, CancellationToken.none());
        long t1 = System.nanoTime();
        TrainingOutcome b = TransferTrainer.create(uncached).train("uncached-1", "m", spec, TrainingListener.NONE,
                CancellationToken.none());
        long t2 = System.nanoTime();
        long cachedBytes = withCache.featureCache().sizeOnDisk();
        TrainingOutcome c = withCache.train("cached-2", "m", spec, TrainingListener.NONE, CancellationToken.none());
        long t3 = System.nanoTime();

        System.out.printf("%s: cached %d ms (test acc %.4f, loss %.5f), uncached %d ms (test acc %.4f, loss %.5f), "
                + "cache hit %d ms (test acc %.4f); %d bytes of features on disk%n", name, (t1 - t0) / 1_000_000,
                a.metrics().testAccuracy(), a.metrics().testLoss(), (t2 - t1) / 1_000_000,
                b.metrics().testAccuracy(), b.metrics().testLoss(), (t3 - t2) / 1_000_000,
                c.metrics().testAccuracy(), cachedBytes);
        assertThat(cachedBytes).isPositive();
        assertThat(a.history()).hasSameSizeAs(b.history());
        for (int i = 0; i < a.history().size(); i++) {
            EpochMetrics x = a.history().get(i);
            EpochMetrics y = b.history().get(i);
            assertThat(x.loss()).isCloseTo(y.loss(), within(1e-3));
            assertThat(x.valLoss()).isCloseTo(y.valLoss(), within(1e-3));
            assertThat(x.valAccuracy()).isCloseTo(y.valAccuracy(), within(0.011));
        }
        assertThat(a.metrics().testLoss()).isCloseTo(b.metrics().testLoss(), within(1e-3));
        assertThat(a.metrics().testAccuracy()).isCloseTo(b.metrics().testAccuracy(), within(0.011));
        assertThat(a.metrics().trainLoss()).isCloseTo(b.metrics().trainLoss(), within(1e-3));
        // the second trial read the features the first one wrote: the same numbers exactly
        assertThat(c.history()).usingRecursiveComparison().ignoringFields("elapsedMs").isEqualTo(a.history());
        assertThat(c.metrics()).isEqualTo(a.metrics());
        assertThat(withCache.featureCache().sizeOnDisk()).isEqualTo(cachedBytes);
    }
}
