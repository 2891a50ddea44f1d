package io.transferlab.vision.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import io.transferlab.vision.cache.FeatureCache;
import io.transferlab.vision.cache.FeatureKey;
import io.transferlab.vision.cache.FeatureSet;
import io.transferlab.vision.data.BatchSource;
import io.transferlab.vision.data.LabeledImages;
import io.transferlab.vision.model.Network;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Frozen-backbone features of a set of images, from the cache or computed into it. */
final class FeatureExtractor {

    private static final Logger LOG = LoggerFactory.getLogger(FeatureExtractor.class);

    private final FeatureCache cache;
    private final int batchSize;

    FeatureExtractor(FeatureCache cache, int batchSize) {
        this.cache = cache;
        this.batchSize = batchSize;
    }

    /**
     * Features of {@code images} (read through {@code source}, unaugmented) under the network's backbone in
     * inference mode. The key names the exact weights, preprocessing, side and pixels.
     */
    FeatureSet features(String runId, Network network, String backboneFingerprint, String preprocessing,
            int imageSize, LabeledImages images, BatchSource source, CancellationToken cancel) {
        FeatureKey key = new FeatureKey(backboneFingerprint + "|bn-inference", preprocessing, imageSize,
                images.pixelDigest());
        boolean hit = cache.contains(key);
        long start = System.nanoTime();
        FeatureSet set = cache.open(key, images.size(), network.featureShape(), images.labels(), sink -> {
            ParameterStore parameterStore = new ParameterStore(network.manager(), false);
            JniUtils.setGradMode(false);
            for (int from = 0; from < images.size(); from += batchSize) {
                cancel.throwIfCancelled();
                int[] positions = PreparedData.range(from, Math.min(images.size(), from + batchSize));
                try (NDManager scope = network.manager().newSubManager()) {
                    NDArray x = source.inputs(scope, positions, false);
                    NDArray f = network.backbone().forward(parameterStore, new NDList(x), false).singletonOrThrow();
                    sink.append(f.toByteBuffer());
                }
            }
        });
        LOG.info("run {}: features of {} images {} in {} ms", runId, images.size(),
                hit ? "read from the cache" : "computed", (System.nanoTime() - start) / 1_000_000);
        return set;
    }
}
