package io.transferlab.chapter;

import io.transferlab.chapter.client.GatewayClient;
import io.transferlab.chapter.protocol.BookProtocol;
import io.transferlab.chapter.protocol.OfflineProtocol;
import io.transferlab.chapter.protocol.Protocol;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code chapter [--option=value ...]}: runs the chapter's workflow against a running TransferLab and writes a
 * report. Every option has an environment-variable default (see {@link #OPTIONS}).
 */
public final class ChapterMain {

    /** option -> {environment variable, default, help}. */
    static final Map<String, String[]> OPTIONS = new LinkedHashMap<>();

    static {
        OPTIONS.put("gateway", new String[] {"TRANSFERLAB_GATEWAY_URL", "http://localhost:8080", "gateway base URL"});
        OPTIONS.put("gateway-management", new String[] {"TRANSFERLAB_GATEWAY_MANAGEMENT_URL", "http://localhost:9080",
                "gateway's management interface, where its readiness answers (the local stack's default)"});
        OPTIONS.put("api-key", new String[] {"TRANSFERLAB_API_KEY", "transferlab-dev-key",
                "API key with roles classify and train (default: the local stack's dev key)"});
        OPTIONS.put("protocol", new String[] {"TRANSFERLAB_PROTOCOL", "auto",
                "auto (the book's when CIFAR-10 and ImageNet weights are installed, else offline), "
                        + "book (alias chapter), offline"});
        OPTIONS.put("report", new String[] {"TRANSFERLAB_REPORT_DIR", "report", "report folder"});
        OPTIONS.put("data-dir", new String[] {"TRANSFERLAB_DATA_DIR", "data", "data sets (as the services see them)"});
        OPTIONS.put("weights-dir", new String[] {"TRANSFERLAB_WEIGHTS_DIR", "", "ImageNet weights (default <data-dir>/weights)"});
        OPTIONS.put("photo", new String[] {"TRANSFERLAB_PHOTO", "", "photo for step 1 (default <data-dir>/samples/dog.jpg)"});
        OPTIONS.put("train-size", new String[] {"TRANSFERLAB_TRAIN_SIZE", "2000", "target training images"});
        OPTIONS.put("test-size", new String[] {"TRANSFERLAB_TEST_SIZE", "2000", "target test images"});
        OPTIONS.put("epochs", new String[] {"TRANSFERLAB_EPOCHS", "5", "epochs per run"});
        OPTIONS.put("backbone", new String[] {"TRANSFERLAB_BACKBONE", "small-cnn",
                "offline protocol's pretrained network: small-cnn, or resnet18 (adds ResNet-18 from scratch and "
                        + "fine-tuning)"});
        OPTIONS.put("max-parallel", new String[] {"TRANSFERLAB_MAX_PARALLEL", "2", "tuning runs in flight at once"});
        OPTIONS.put("jdbc-url", new String[] {"TRANSFERLAB_JDBC_URL", "jdbc:postgresql://localhost:5432/transferlab",
                "the runs database"});
        OPTIONS.put("db-user", new String[] {"PG_USER", "transferlab", "database user"});
        OPTIONS.put("db-password", new String[] {"PG_PASSWORD", "transferlab", "database password"});
    }

    private ChapterMain() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = parse(args);
        if (o == null) {
            usage();
            System.exit(2);
            return;
        }
        Path dataDir = Path.of(o.get("data-dir"));
        Path weightsDir = o.get("weights-dir").isEmpty() ? dataDir.resolve("weights") : Path.of(o.get("weights-dir"));
        Path photo = o.get("photo").isEmpty() ? dataDir.resolve("samples/dog.jpg") : Path.of(o.get("photo"));
        int train = Integer.parseInt(o.get("train-size"));
        int test = Integer.parseInt(o.get("test-size"));
        int epochs = Integer.parseInt(o.get("epochs"));
        Protocol protocol = switch (o.get("protocol")) {
            case "book", "chapter" -> new BookProtocol(dataDir, train, test, epochs);
            case "offline" -> new OfflineProtocol(dataDir, train, test, epochs, o.get("backbone"));
            case "auto" -> BookProtocol.installed(dataDir, weightsDir) ? new BookProtocol(dataDir, train, test, epochs)
                    : new OfflineProtocol(dataDir, train, test, epochs, o.get("backbone"));
            default -> throw new IllegalArgumentException("--protocol must be auto, book (or chapter) or offline");
        };
        GatewayClient gateway = new GatewayClient(URI.create(o.get("gateway")), URI.create(o.get("gateway-management")),
                o.get("api-key"));
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!gateway.ready()) {
            if (System.nanoTime() > deadline) {
                System.err.println("the gateway at " + o.get("gateway") + " is not ready (readiness asked at "
                        + o.get("gateway-management") + "): start the stack (deploy/local/up) or pass --gateway and "
                        + "--gateway-management");
                System.exit(1);
            }
            Thread.sleep(1000);
        }
        System.out.println("TransferLab chapter workflow, protocol: " + protocol.name());
        RunsTable sql = new RunsTable(o.get("jdbc-url"), o.get("db-user"), o.get("db-password"));
        new ChapterWorkflow(gateway, protocol, sql, Path.of(o.get("report")), photo,
                Integer.parseInt(o.get("max-parallel")), System.out).run();
    }

    /** Options from the command line over environment variables over defaults; null on an unknown option. */
    static Map<String, String> parse(String[] args) {
        Map<String, String> values = new LinkedHashMap<>();
        OPTIONS.forEach((name, spec) -> {
            String env = System.getenv(spec[0]);
            values.put(name, env == null || env.isBlank() ? spec[1] : env);
        });
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                return null;
            }
            String name = arg.substring(2, arg.indexOf('='));
            if (!OPTIONS.containsKey(name)) {
                return null;
            }
            values.put(name, arg.substring(arg.indexOf('=') + 1));
        }
        return values;
    }

    private static void usage() {
        System.err.println("usage: chapter [--option=value ...]");
        OPTIONS.forEach((name, spec) -> System.err.printf("  --%-13s %s (env %s, default '%s')%n", name, spec[2],
                spec[0], spec[1]));
    }
}
