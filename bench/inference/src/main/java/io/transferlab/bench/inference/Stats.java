package io.transferlab.bench.inference;

import java.util.Arrays;
import java.util.List;

/**
 * Latency percentiles (nearest rank) and throughput of one measured run; for runs through the service also the
 * means of what the results report: time inside the service (receipt to send), in the queue, and the forward pass.
 */
record Stats(int count, double seconds, double p50Ms, double p99Ms, double meanBatch, int errors,
        double serverMs, double queueMs, double forwardMs) {

    double throughput() {
        return count / seconds;
    }

    static Stats of(List<Long> latencyNanos, double seconds, double meanBatch, int errors) {
        return of(latencyNanos, seconds, meanBatch, errors, Double.NaN, Double.NaN, Double.NaN);
    }

    static Stats of(List<Long> latencyNanos, double seconds, double meanBatch, int errors, double serverMs,
            double queueMs, double forwardMs) {
        long[] sorted = latencyNanos.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        return new Stats(sorted.length, seconds, percentile(sorted, 0.50), percentile(sorted, 0.99), meanBatch,
                errors, serverMs, queueMs, forwardMs);
    }

    static double percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, rank - 1)] / 1e6;
    }
}
