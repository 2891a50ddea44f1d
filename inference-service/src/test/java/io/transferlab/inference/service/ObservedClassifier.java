package io.transferlab.inference.service;

import io.transferlab.contracts.classify.Prediction;
import io.transferlab.vision.Classifier;
import io.transferlab.vision.image.DecodedImage;
import io.transferlab.vision.image.ImageDecoder;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A real classifier seen from outside: it records the size of every forward pass and whether it was closed, can be
 * held at a gate before its passes (to fill the queue deterministically), and can wear another id, version and
 * parameter size (to test the cache's bookkeeping). The predictions are the real model's.
 */
final class ObservedClassifier implements Classifier {

    private final Classifier real;
    private final String modelId;
    private final int version;
    private final long parameterBytes;
    final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
    final List<String> threads = new CopyOnWriteArrayList<>();
    final AtomicBoolean closed = new AtomicBoolean();
    final CountDownLatch entered = new CountDownLatch(1);
    private volatile CountDownLatch gate = new CountDownLatch(0);

    ObservedClassifier(Classifier real, String modelId, int version, long parameterBytes) {
        this.real = real;
        this.modelId = modelId;
        this.version = version;
        this.parameterBytes = parameterBytes;
    }

    static ObservedClassifier of(String modelId, int version) {
        return new ObservedClassifier(TestClassifiers.smallCnn(version), modelId, version, 100);
    }

    static ObservedClassifier of(String modelId, int version, long parameterBytes) {
        return new ObservedClassifier(TestClassifiers.smallCnn(version), modelId, version, parameterBytes);
    }

    /** Holds every forward pass until {@link #open()}. */
    ObservedClassifier closeGate() {
        gate = new CountDownLatch(1);
        return this;
    }

    void open() {
        gate.countDown();
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
        return real.labels();
    }

    @Override
    public long parameterBytes() {
        return parameterBytes;
    }

    @Override
    public ImageDecoder decoder() {
        return real.decoder();
    }

    @Override
    public List<List<Prediction>> classify(List<DecodedImage> images, int topK) {
        entered.countDown();
        try {
            if (!gate.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never opened the gate");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        batchSizes.add(images.size());
        threads.add(Thread.currentThread().getName());
        return real.classify(images, topK);
    }

    @Override
    public void close() {
        closed.set(true);
        real.close();
    }
}
