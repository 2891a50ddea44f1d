package io.transferlab.bench.inference;

import static io.transferlab.bench.inference.InferenceBenchmark.log;

import io.transferlab.contracts.classify.ClassifyResult;
import io.transferlab.contracts.classify.ClassifyStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Closed-loop load through Kafka: each of {@code concurrency} clients sends its next request when its last one is
 * answered, until {@code total} requests have been sent.
 */
final class ClosedLoop {

    private ClosedLoop() {
    }

    static Stats run(KafkaClassifyClient client, String model, byte[] image, int concurrency, int total,
            boolean errorsExpected) throws InterruptedException {
        Samples samples = new Samples();
        run(client, model, image, concurrency, total, errorsExpected, samples);
        return samples.stats();
    }

    /** One run whose latencies, results and wall time are added to {@code samples}. */
    static void run(KafkaClassifyClient client, String model, byte[] image, int concurrency, int total,
            boolean errorsExpected, Samples samples) throws InterruptedException {
        AtomicInteger issued = new AtomicInteger();
        List<Thread> users = new ArrayList<>();
        long start = System.nanoTime();
        for (int u = 0; u < concurrency; u++) {
            Thread t = new Thread(() -> {
                while (issued.getAndIncrement() < total) {
                    long sent = System.nanoTime();
                    try {
                        ClassifyResult r = client.classify(model, image).get(5, TimeUnit.MINUTES);
                        samples.answered(System.nanoTime() - sent, r);
                        if (r.status() != ClassifyStatus.OK && !errorsExpected) {
                            log("error result: %s", r.error());
                        }
                    } catch (Exception e) {
                        samples.failed();
                        log("request failed: %s", e);
                    }
                }
            }, "bench-client-" + u);
            users.add(t);
            t.start();
        }
        for (Thread t : users) {
            t.join();
        }
        samples.elapsed(System.nanoTime() - start);
    }

    /** What closed-loop runs measured, added up over one or more runs. */
    static final class Samples {
        private final List<Long> latencies = new ArrayList<>();
        private final double[] server = new double[3];
        private long nanos;
        private long batchSum;
        private int answered;
        private int errors;

        synchronized void answered(long latency, ClassifyResult r) {
            latencies.add(latency);
            answered++;
            if (r.status() == ClassifyStatus.OK) {
                batchSum += r.batchSize();
                server[0] += r.timings().totalMs();
                server[1] += r.timings().queueMs();
                server[2] += r.timings().inferenceMs();
            } else {
                errors++;
            }
        }

        synchronized void failed() {
            errors++;
        }

        synchronized void elapsed(long runNanos) {
            nanos += runNanos;
        }

        synchronized Stats stats() {
            int ok = Math.max(1, answered - errors);
            return Stats.of(latencies, nanos / 1e9, batchSum / (double) ok, errors, server[0] / ok,
                    server[1] / ok, server[2] / ok);
        }
    }
}
