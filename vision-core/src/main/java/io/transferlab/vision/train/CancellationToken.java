package io.transferlab.vision.train;

import io.transferlab.vision.TrainingCancelledException;
import java.util.concurrent.atomic.AtomicReference;

/** Asks a running training to stop; the loop checks it between batches. Thread-safe. */
public final class CancellationToken {

    private final AtomicReference<String> reason = new AtomicReference<>();

    public static CancellationToken none() {
        return new CancellationToken();
    }

    /** The first reason wins; later calls change nothing. */
    public void cancel(String why) {
        reason.compareAndSet(null, why == null || why.isBlank() ? "cancelled" : why);
    }

    public boolean isCancelled() {
        return reason.get() != null;
    }

    public String reason() {
        return reason.get();
    }

    public void throwIfCancelled() {
        String why = reason.get();
        if (why != null) {
            throw new TrainingCancelledException("training cancelled: " + why);
        }
    }
}
