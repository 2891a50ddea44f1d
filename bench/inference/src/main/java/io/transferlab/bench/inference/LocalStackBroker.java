package io.transferlab.bench.inference;

import io.transferlab.testsupport.FreePorts;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Kafka broker started exactly as the local stack starts it ({@code deploy/local/kafka start}: full JIT, the
 * stack's heap and topic layout), on free ports with its data in the benchmark's own folder, and stopped by the
 * same script (which ends only the process it recorded). The test broker of test-support starts faster but runs
 * with the C1 compiler only, which is slower in steady state.
 */
final class LocalStackBroker implements AutoCloseable {

    private final Path script;
    private final Map<String, String> env;
    private final int port;

    private LocalStackBroker(Path script, Map<String, String> env, int port) {
        this.script = script;
        this.env = env;
        this.port = port;
    }

    static LocalStackBroker start(Path repo, Path runDir) throws IOException, InterruptedException {
        int port = FreePorts.next();
        // A plaintext broker (KAFKA_SCRAM=false): the benchmark measures the Kafka path, not SCRAM logins.
        Map<String, String> env = Map.of("RUN_DIR", runDir.toString(), "KAFKA_PORT", String.valueOf(port),
                "KAFKA_CONTROLLER_PORT", String.valueOf(FreePorts.next()), "KAFKA_SCRAM", "false");
        LocalStackBroker broker = new LocalStackBroker(repo.resolve("deploy/local/kafka"), env, port);
        broker.run("start");
        return broker;
    }

    String bootstrapServers() {
        return "localhost:" + port;
    }

    private void run(String command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(List.of(script.toString(), command)).inheritIO();
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(3, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException(script + " " + command + " failed");
        }
    }

    @Override
    public void close() throws IOException {
        try {
            run("stop");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping the broker", e);
        }
    }
}
