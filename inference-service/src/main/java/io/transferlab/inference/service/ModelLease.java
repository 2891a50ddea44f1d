package io.transferlab.inference.service;

import io.transferlab.vision.Classifier;
import java.util.concurrent.atomic.AtomicBoolean;

/** The right to run batches on one loaded model version until {@link #close()}; closing twice is harmless. */
public final class ModelLease implements AutoCloseable {

    private final LoadedModel model;
    private final AtomicBoolean released = new AtomicBoolean();

    ModelLease(LoadedModel model) {
        this.model = model;
    }

    public LoadedModel model() {
        return model;
    }

    public Classifier classifier() {
        return model.classifier();
    }

    public String modelId() {
        return model.modelId();
    }

    public int version() {
        return model.version();
    }

    @Override
    public void close() {
        if (released.compareAndSet(false, true)) {
            model.release();
        }
    }
}
