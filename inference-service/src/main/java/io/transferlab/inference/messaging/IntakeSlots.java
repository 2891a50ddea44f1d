package io.transferlab.inference.messaging;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

/**
 * A fixed number of intake slots handed out asynchronously: {@link #acquire()} never blocks, it returns a stage
 * that completes when a slot is free. The Kafka handler returns that stage, so the connector delivers the next
 * record only once a slot is free: at most {@code slots} records are being parsed and decoded, and when every slot
 * waits for room in the batch queue, consumption stops (the connector pauses the partitions).
 */
final class IntakeSlots {

    private final ArrayDeque<CompletableFuture<Void>> waiting = new ArrayDeque<>();
    private int free;

    IntakeSlots(int slots) {
        if (slots < 1) {
            throw new IllegalArgumentException("at least one intake slot is needed");
        }
        this.free = slots;
    }

    CompletableFuture<Void> acquire() {
        synchronized (this) {
            if (free > 0) {
                free--;
                return CompletableFuture.completedFuture(null);
            }
            CompletableFuture<Void> slot = new CompletableFuture<>();
            waiting.add(slot);
            return slot;
        }
    }

    void release() {
        CompletableFuture<Void> next;
        synchronized (this) {
            next = waiting.poll();
            if (next == null) {
                free++;
            }
        }
        if (next != null) {
            next.complete(null);
        }
    }

    synchronized int free() {
        return free;
    }
}
