package io.transferlab.bench.inference;

import io.transferlab.bench.inference.InferenceBenchmark.BenchmarkImage;
import io.transferlab.bench.inference.InferenceBenchmark.Plan;
import java.time.Instant;
import java.util.List;

/**
 * Everything one run of the {@link InferenceBenchmark} measured, each figure by its name, as
 * {@link BenchmarkReport} puts it in the table.
 *
 * @param serviceEnv the {@code --service-env} the service ran with, blank for none
 * @param loadBefore load average before the run, {@code loadAfter} after it: how busy the shared machine was
 * @param before the raw forward pass before the service started, {@code after} once it has stopped: their spread
 *        shows how noisy the machine was
 */
record BenchmarkResults(Plan plan, BenchmarkImage image, String serviceEnv, Instant started, String loadBefore,
        String loadAfter, RawPasses before, RawPasses after, ServiceRuns service) {

    /** The model's own forward pass in this JVM, one image at a time and at full batches. */
    record RawPasses(Stats single, Stats batch) {
    }

    /**
     * What was measured while the broker and the service ran.
     *
     * @param httpBatches full batches over HTTP: the service's forward pass without Kafka in the way
     * @param brokerAlone request and reply hops between plain clients, no service
     * @param noForwardPass round trips through the service for an unknown model: the Kafka path alone
     * @param blocks each concurrency after the first, in the order given
     */
    record ServiceRuns(Stats httpBatches, Stats brokerAlone, Stats noForwardPass, ConcurrencyOne concurrencyOne,
            List<Blocks> blocks, Memory memory) {
    }

    /** Concurrency 1 through Kafka, each request beside one raw batch-1 pass and one batch-1 request over HTTP. */
    record ConcurrencyOne(Stats raw, Stats kafka, Stats http) {
    }

    /** One higher concurrency through Kafka, run in blocks, and the raw full batches measured between them. */
    record Blocks(int concurrency, Stats raw, Stats kafka) {
    }

    /** Resident memory of the service, in MB: once ready with the model loaded, after the runs, and at its peak. */
    record Memory(long idleMb, long afterRunsMb, long peakMb) {
    }
}
