package io.transferlab.inference.service;

import io.transferlab.vision.Classifier;
import java.util.Objects;

/**
 * A classifier in the cache with a count of the requests using it. The cache retires it when it is evicted or
 * replaced by a newer version; it is closed (its native memory freed) only once it is retired and the last lease
 * is released, so a batch never runs on a closed model.
 */
public final class LoadedModel {

    private final Classifier classifier;
    private int leases;
    private boolean retired;
    private boolean closed;
    private volatile boolean leasedByVersion;

    public LoadedModel(Classifier classifier) {
        this.classifier = Objects.requireNonNull(classifier);
    }

    public Classifier classifier() {
        return classifier;
    }

    public String modelId() {
        return classifier.modelId();
    }

    public int version() {
        return classifier.version();
    }

    public long parameterBytes() {
        return classifier.parameterBytes();
    }

    /** Asked for by its number (a pinned request, an alias): a newer version does not replace it. */
    void markLeasedByVersion() {
        leasedByVersion = true;
    }

    boolean leasedByVersion() {
        return leasedByVersion;
    }

    /** A new lease, or false when the model is already retired (the caller looks it up again). */
    synchronized boolean tryAcquire() {
        if (retired) {
            return false;
        }
        leases++;
        return true;
    }

    void release() {
        boolean close;
        synchronized (this) {
            if (leases == 0) {
                throw new IllegalStateException("release without a lease on " + this);
            }
            leases--;
            close = closeNow();
        }
        if (close) {
            classifier.close();
        }
    }

    /** No new leases; closes now if none is held, else when the last one is released. */
    void retire() {
        boolean close;
        synchronized (this) {
            retired = true;
            close = closeNow();
        }
        if (close) {
            classifier.close();
        }
    }

    private boolean closeNow() {
        if (retired && leases == 0 && !closed) {
            closed = true;
            return true;
        }
        return false;
    }

    public synchronized boolean isClosed() {
        return closed;
    }

    public synchronized int leases() {
        return leases;
    }

    @Override
    public String toString() {
        return classifier.modelId() + " v" + classifier.version();
    }
}
