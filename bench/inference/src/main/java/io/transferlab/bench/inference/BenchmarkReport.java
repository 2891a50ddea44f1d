package io.transferlab.bench.inference;

import io.transferlab.bench.inference.BenchmarkResults.Blocks;
import io.transferlab.bench.inference.BenchmarkResults.ConcurrencyOne;
import io.transferlab.bench.inference.BenchmarkResults.Memory;
import io.transferlab.bench.inference.BenchmarkResults.ServiceRuns;
import io.transferlab.vision.image.DecodedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * The Markdown the {@link InferenceBenchmark} prints and writes: a table of every measured path, the targets and
 * whether they were met, and the machine's load. docs/inference.md quotes it, so its format stays as it is.
 */
final class BenchmarkReport {

    private record Row(String name, Stats stats) {
    }

    private BenchmarkReport() {
    }

    static String markdown(BenchmarkResults results) {
        int batchSize = results.plan().batchSize();
        ServiceRuns service = results.service();
        ConcurrencyOne concurrencyOne = service.concurrencyOne();
        // --concurrency 1 alone measures no closed loop above 1: the throughput target then has nothing to judge
        Blocks highest = service.blocks().isEmpty() ? null : service.blocks().get(service.blocks().size() - 1);
        double rawSingleP50 = concurrencyOne.raw().p50Ms();
        DecodedImage image = results.image().decoded();
        String serviceEnv = results.serviceEnv();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("Inference benchmark, %s, %s at %dx%d (JPEG %d bytes), batches of up to %d, "
                + "max batch delay %s, %d cores, service environment: %s.%n%n", results.started(),
                results.plan().model(), image.width(), image.height(), results.image().jpeg().length, batchSize,
                results.plan().batchDelay(), Runtime.getRuntime().availableProcessors(),
                serviceEnv.isBlank() ? "defaults" : serviceEnv));
        sb.append("| path | images | img/s | p50 ms | p99 ms | mean batch | in service ms | queued ms | forward ms "
                + "| errors |\n");
        sb.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Row r : rows(results)) {
            row(sb, r);
        }
        Row first = concurrencyOneRow(concurrencyOne);
        double added = first.stats().p50Ms() - rawSingleP50;
        Memory memory = service.memory();
        sb.append('\n');
        sb.append("| target | measured | met |\n|---|---:|---|\n");
        if (highest == null) {
            sb.append(String.format("| throughput >= 85%% of the raw batch-%d throughput | not measured (no "
                    + "concurrency above 1 in --concurrency) | - |%n", batchSize));
        } else {
            double rawThroughput = highest.raw().throughput();
            Row last = blocksRow(highest);
            double share = last.stats().throughput() / rawThroughput;
            sb.append(String.format("| %s throughput >= 85%% of the raw batch-%d throughput measured between its "
                    + "blocks (%.2f img/s) | %.0f%% | %s |%n", last.name(), batchSize, rawThroughput, 100 * share,
                    share >= 0.85 ? "yes" : "no"));
        }
        sb.append(String.format("| %s: added p50 latency <= 15 ms over the interleaved raw batch-1 p50 (%.0f ms) "
                + "| %+.1f ms | %s |%n",
                first.name(), rawSingleP50, added, added <= 15 ? "yes" : "no"));
        sb.append(String.format("| service RSS with the model loaded < 1.5 GB | %d MB idle, %d MB after load, "
                + "peak %d MB | %s |%n", memory.idleMb(), memory.afterRunsMb(), memory.peakMb(),
                memory.peakMb() < 1536 ? "yes" : "no"));
        sb.append(String.format("%nLoad average (1/5/15 min) before: %s, after: %s.%n", results.loadBefore(),
                results.loadAfter()));
        return sb.toString();
    }

    /** The table's rows, in the order the paths were measured (the raw baselines first). */
    private static List<Row> rows(BenchmarkResults results) {
        int batchSize = results.plan().batchSize();
        ServiceRuns service = results.service();
        ConcurrencyOne concurrencyOne = service.concurrencyOne();
        List<Row> rows = new ArrayList<>();
        rows.add(new Row("raw forward, batch 1 (before)", results.before().single()));
        rows.add(new Row("raw forward, batch 1 (after)", results.after().single()));
        rows.add(new Row("raw forward, batch " + batchSize + " (before)", results.before().batch()));
        rows.add(new Row("raw forward, batch " + batchSize + " (after)", results.after().batch()));
        rows.add(new Row("service worker, batch " + batchSize + " over HTTP (no Kafka)", service.httpBatches()));
        rows.add(new Row("Kafka alone: request + reply hops, no service", service.brokerAlone()));
        rows.add(new Row("Kafka round trip, no forward pass (unknown model)", service.noForwardPass()));
        rows.add(new Row("raw forward, batch 1 (interleaved with the next two rows)", concurrencyOne.raw()));
        rows.add(new Row("service worker, batch 1 over HTTP (interleaved)", concurrencyOne.http()));
        rows.add(concurrencyOneRow(concurrencyOne));
        for (Blocks b : service.blocks()) {
            rows.add(new Row("raw forward, batch " + batchSize + " (between the blocks of the next row)", b.raw()));
            rows.add(blocksRow(b));
        }
        return rows;
    }

    private static Row concurrencyOneRow(ConcurrencyOne concurrencyOne) {
        return new Row("Kafka, concurrency 1 (interleaved)", concurrencyOne.kafka());
    }

    private static Row blocksRow(Blocks blocks) {
        return new Row("Kafka, concurrency " + blocks.concurrency(), blocks.kafka());
    }

    private static void row(StringBuilder sb, Row row) {
        Stats s = row.stats();
        sb.append(String.format("| %s | %d | %.2f | %.0f | %.0f | %.1f | %s | %s | %s | %d |%n", row.name(),
                s.count(), s.throughput(), s.p50Ms(), s.p99Ms(), s.meanBatch(), mean(s.serverMs()),
                mean(s.queueMs()), mean(s.forwardMs()), s.errors()));
    }

    private static String mean(double v) {
        return Double.isNaN(v) ? "" : String.format("%.0f", v);
    }
}
