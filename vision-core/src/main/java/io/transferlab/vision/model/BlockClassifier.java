package io.transferlab.vision.model;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.translate.TranslateException;
import io.transferlab.contracts.classify.Prediction;
import io.transferlab.vision.Classifier;
import io.transferlab.vision.image.DecodedImage;
import io.transferlab.vision.image.ImageDecoder;
import io.transferlab.vision.image.Preprocessing;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.IntStream;

/**
 * A {@link Classifier} over any DJL model whose block maps preprocessed NCHW images to logits. One shared model,
 * one predictor per calling thread (predictors are not thread-safe); each call runs in the predictor's own
 * per-batch manager scope, so native memory is released when the call returns.
 */
public final class BlockClassifier implements Classifier {

    private final String modelId;
    private final int version;
    private final Model model;
    private final List<String> labels;
    private final List<String> synsets;
    private final long parameterBytes;
    private final ImageDecoder decoder;
    private final ImageClassificationTranslator translator;
    private final ThreadLocal<Predictor<DecodedImage, float[]>> predictors = new ThreadLocal<>();
    private final ConcurrentLinkedQueue<Predictor<DecodedImage, float[]>> allPredictors = new ConcurrentLinkedQueue<>();
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private boolean closed;

    /**
     * Takes ownership of {@code model}: closing the classifier closes it.
     *
     * @param synsets WordNet ids per label for ImageNet, or null
     */
    public BlockClassifier(String modelId, int version, Model model, List<String> labels, List<String> synsets,
            int imageSize, Preprocessing preprocessing, long parameterBytes, ImageDecoder decoder) {
        this.modelId = Objects.requireNonNull(modelId);
        this.version = version;
        this.model = Objects.requireNonNull(model);
        this.labels = List.copyOf(labels);
        this.synsets = synsets == null ? null : List.copyOf(synsets);
        this.parameterBytes = parameterBytes;
        this.decoder = Objects.requireNonNull(decoder);
        this.translator = new ImageClassificationTranslator(imageSize, preprocessing);
    }

    @Override
    public String modelId() {
        return modelId;
    }

    @Override
    public int version() {
        return version;
    }

    @Override
    public List<String> labels() {
        return labels;
    }

    @Override
    public long parameterBytes() {
        return parameterBytes;
    }

    @Override
    public ImageDecoder decoder() {
        return decoder;
    }

    @Override
    public List<List<Prediction>> classify(List<DecodedImage> images, int topK) {
        if (images.isEmpty()) {
            return List.of();
        }
        if (topK < 1) {
            throw new IllegalArgumentException("topK must be >= 1");
        }
        lifecycle.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("classifier " + modelId + " v" + version + " is closed");
            }
            // grad mode is thread-local in libtorch: make sure this thread builds no autograd graph
            JniUtils.setGradMode(false);
            List<float[]> probabilities = predictor().batchPredict(images);
            List<List<Prediction>> result = new ArrayList<>(probabilities.size());
            for (float[] p : probabilities) {
                result.add(top(p, topK));
            }
            return result;
        } catch (TranslateException | RuntimeException | OutOfMemoryError e) {
            throw EngineFailures.translate("classifying with " + modelId, e);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    private Predictor<DecodedImage, float[]> predictor() {
        Predictor<DecodedImage, float[]> p = predictors.get();
        if (p == null) {
            p = model.newPredictor(translator);
            predictors.set(p);
            allPredictors.add(p);
        }
        return p;
    }

    private List<Prediction> top(float[] probabilities, int topK) {
        int k = Math.min(topK, probabilities.length);
        return IntStream.range(0, probabilities.length)
                .boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> probabilities[i]).reversed())
                .limit(k)
                .map(i -> new Prediction(labels.get(i), i, probabilities[i], synsets == null ? null : synsets.get(i)))
                .toList();
    }

    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            Predictor<DecodedImage, float[]> p;
            while ((p = allPredictors.poll()) != null) {
                p.close();
            }
            model.close();
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    @Override
    public String toString() {
        return "Classifier[" + modelId + " v" + version + ", " + labels.size() + " labels]";
    }
}
