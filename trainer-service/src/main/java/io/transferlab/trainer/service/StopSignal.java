package io.transferlab.trainer.service;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Raised once when the trainer begins to shut down; waits that should end early on shutdown wait on it. */
final class StopSignal {

    private final CountDownLatch latch = new CountDownLatch(1);

    void raise() {
        latch.countDown();
    }

    boolean isRaised() {
        return latch.getCount() == 0;
    }

    /** Waits up to {@code d}; true when the signal was raised meanwhile (or the thread was interrupted). */
    boolean await(Duration d) {
        try {
            return latch.await(d.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }
}
