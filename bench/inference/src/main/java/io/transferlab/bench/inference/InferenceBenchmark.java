package io.transferlab.bench.inference;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.transferlab.bench.inference.BenchmarkResults.Blocks;
import io.transferlab.bench.inference.BenchmarkResults.ConcurrencyOne;
import io.transferlab.bench.inference.BenchmarkResults.Memory;
import io.transferlab.bench.inference.BenchmarkResults.RawPasses;
import io.transferlab.bench.inference.BenchmarkResults.ServiceRuns;
import io.transferlab.contracts.classify.ClassifyResult;
import io.transferlab.contracts.classify.ClassifyStatus;
import io.transferlab.testsupport.QuarkusProcess;
import io.transferlab.vision.Classifier;
import io.transferlab.vision.DeviceMode;
import io.transferlab.vision.VisionSettings;
import io.transferlab.vision.image.DecodedImage;
import io.transferlab.vision.image.ImageDecoder;
import io.transferlab.vision.model.Architecture;
import io.transferlab.vision.model.Classifiers;
import io.transferlab.vision.model.ImageNetClassifiers;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;

/**
 * ResNet-50 at 224 px through the real inference service and a real Kafka broker, closed-loop at several
 * concurrencies, beside the model's own forward pass measured in this JVM: before and after (the machine is shared:
 * the spread of the two shows how noisy it was) and interleaved with the runs it is compared with (concurrency 1
 * request by request; higher concurrencies in blocks with full raw batches between them), after the broker's and
 * the service's Kafka code have been JIT-compiled. Prints a Markdown table and writes it to {@code --out}.
 * Options (all optional): {@code --model random-resnet50|imagenet-resnet50 --weights-dir DIR --concurrency 1,8,32
 * --requests 60,96,256 --batch-size 8 --batch-delay 5ms --workers 1 --raw-batches 8 --raw-singles 20
 * --kafka-warm-up 8000 --kafka-probes 200 --blocks 4 --raw-batches-between 2
 * --service-jvm "-Xmx1g ..." --service-env KEY=VALUE,... --out FILE}.
 */
public final class InferenceBenchmark {

    private static final String RANDOM = "random-";

    private final Map<String, String> options;
    private final Path repo;

    private InferenceBenchmark(Map<String, String> options) {
        this.options = options;
        this.repo = Path.of(option("repo", System.getProperty("transferlab.repo.root", "."))).toAbsolutePath()
                .normalize();
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --option value pairs, got " + args[i]);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        new InferenceBenchmark(options).run();
    }

    private String option(String name, String fallback) {
        return options.getOrDefault(name, fallback);
    }

    private int intOption(String name, int fallback) {
        return Integer.parseInt(option(name, String.valueOf(fallback)));
    }

    private static int[] ints(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
    }

    /** What to measure, from the options: concurrency 1 first, then the higher ones with their request counts. */
    record Plan(String model, int batchSize, String batchDelay, int[] concurrency, int[] requests) {
    }

    /** The image every request sends, as JPEG bytes, and decoded for the raw forward pass. */
    record BenchmarkImage(byte[] jpeg, DecodedImage decoded) {
    }

    /** Resident memory of a process now ({@code VmRSS}) and at its peak ({@code VmHWM}), in MB. */
    private record Resident(long rssMb, long peakMb) {
    }

    private void run() throws Exception {
        Plan plan = plan();
        Path work = Files.createTempDirectory("bench-inference-");
        Path weights = Path.of(option("weights-dir", work.resolve("weights").toString())).toAbsolutePath();
        String loadBefore = loadAverage();
        Instant started = Instant.now();
        BenchmarkImage image = prepareImage(plan, loadBefore);
        RawPasses before;
        ServiceRuns service;
        RawPasses after;
        try (Classifier raw = openRaw(plan.model(), weights)) {
            log("raw forward pass (before the service runs) ...");
            before = rawPasses(raw, plan, image);
            service = throughTheService(plan, image, raw, work, weights);
            log("raw forward pass (after the service ran) ...");
            after = rawPasses(raw, plan, image);
        }
        String loadAfter = loadAverage();
        String report = BenchmarkReport.markdown(new BenchmarkResults(plan, image, option("service-env", ""), started,
                loadBefore, loadAfter, before, after, service));
        System.out.println();
        System.out.println(report);
        Path out = Path.of(option("out", repo.resolve("bench/inference/target/inference-benchmark.md").toString()));
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, report);
        log("written to %s", out);
    }

    private Plan plan() {
        Plan plan = new Plan(option("model", "random-resnet50"), intOption("batch-size", 8),
                option("batch-delay", "5ms"), ints(option("concurrency", "1,8,32")),
                ints(option("requests", "60,96,256")));
        if (plan.concurrency().length != plan.requests().length || plan.concurrency()[0] != 1) {
            throw new IllegalArgumentException("--concurrency starts with 1 and --requests has as many values");
        }
        return plan;
    }

    private BenchmarkImage prepareImage(Plan plan, String loadBefore) throws IOException {
        byte[] jpeg = benchmarkImage();
        DecodedImage decoded = new ImageDecoder(VisionSettings.DEFAULT_MAX_IMAGE_SIDE).decode(jpeg);
        log("image: %dx%d JPEG, %d bytes; model %s; batches of up to %d, delay %s; load average %s", decoded.width(),
                decoded.height(), jpeg.length, plan.model(), plan.batchSize(), plan.batchDelay(), loadBefore);
        return new BenchmarkImage(jpeg, decoded);
    }

    private RawPasses rawPasses(Classifier raw, Plan plan, BenchmarkImage image) {
        Stats single = RawForward.batchOfOne(raw, image.decoded(), intOption("raw-singles", 20));
        Stats batch = RawForward.fullBatches(raw, image.decoded(), plan.batchSize(), intOption("raw-batches", 8));
        return new RawPasses(single, batch);
    }

    /**
     * Starts a broker and the service and measures every path through them, the raw model running beside them in
     * this JVM where a path is compared with it.
     */
    private ServiceRuns throughTheService(Plan plan, BenchmarkImage image, Classifier raw, Path work, Path weights)
            throws Exception {
        try (LocalStackBroker broker = LocalStackBroker.start(repo, work.resolve("run"));
                QuarkusProcess service = startService(plan, broker, work, weights)) {
            service.awaitReady(Duration.ofMinutes(5));
            long idle = residentMb(service).rssMb();
            log("service ready (pid %d), RSS with the model loaded: %d MB", service.pid(), idle);
            Stats httpBatches = serviceWorkerAlone(service, plan, image);
            Stats brokerAlone;
            Stats noForwardPass;
            ConcurrencyOne concurrencyOne;
            List<Blocks> blocks = new ArrayList<>();
            try (KafkaClassifyClient client = new KafkaClassifyClient(broker.bootstrapServers())) {
                logSample(client, plan, image);
                warmUp(client, broker, plan, image);
                int probes = intOption("kafka-probes", 200);
                brokerAlone = brokerAlone(broker, image, probes);
                noForwardPass = kafkaWithoutForwardPass(client, image, probes);
                concurrencyOne = interleaved(client, service, plan, image, raw);
                for (int i = 1; i < plan.concurrency().length; i++) {
                    blocks.add(inBlocks(client, plan, image, raw, plan.concurrency()[i], plan.requests()[i]));
                }
            }
            Resident after = residentMb(service);
            return new ServiceRuns(httpBatches, brokerAlone, noForwardPass, concurrencyOne, blocks,
                    new Memory(idle, after.rssMb(), after.peakMb()));
        }
    }

    private QuarkusProcess startService(Plan plan, LocalStackBroker broker, Path work, Path weights)
            throws IOException {
        String model = plan.model();
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
        // The benchmark calls the OIP API directly, as a cluster-internal client (docs/security.md).
        env.put("TRANSFERLAB_INFERENCE_SECURITY_ENABLED", "false");
        env.put("TRANSFERLAB_DATA_DIR", work.resolve("data").toString());
        env.put("TRANSFERLAB_MODEL_STORE", work.resolve("models").toString());
        env.put("TRANSFERLAB_WEIGHTS_DIR", weights.toString());
        env.put("TRANSFERLAB_INFERENCE_RANDOM_MODELS", model.startsWith(RANDOM)
                ? model.substring(RANDOM.length()) : "resnet50");
        env.put("TRANSFERLAB_INFERENCE_PRELOAD", model);
        env.put("TRANSFERLAB_INFERENCE_BATCHING_MAX_BATCH_SIZE", String.valueOf(plan.batchSize()));
        env.put("TRANSFERLAB_INFERENCE_BATCHING_MAX_BATCH_DELAY", plan.batchDelay());
        env.put("TRANSFERLAB_INFERENCE_BATCHING_WORKERS", option("workers", "1"));
        env.put("DJL_OFFLINE", "true");
        // e.g. --service-env OMP_WAIT_POLICY=PASSIVE: read by libgomp when libtorch loads, so only settable here
        for (String kv : option("service-env", "").split(",")) {
            if (kv.contains("=")) {
                env.put(kv.substring(0, kv.indexOf('=')).trim(), kv.substring(kv.indexOf('=') + 1).trim());
            }
        }
        List<String> jvm = List.of(option("service-jvm", "-Xmx1g -Dai.djl.pytorch.num_threads=2 "
                + "-Dai.djl.pytorch.num_interop_threads=1").trim().split("\\s+"));
        Path jar = repo.resolve("inference-service/target/quarkus-app/quarkus-run.jar");
        log("starting the inference service (%s), log %s", jar, work.resolve("service.log"));
        return QuarkusProcess.jar(jar).name("inference").jvmOptions(jvm).env(env).log(work.resolve("service.log"))
                .start();
    }

    /** One classification through Kafka, logged: shows the model answers (and what it says about the image). */
    private static void logSample(KafkaClassifyClient client, Plan plan, BenchmarkImage image) throws Exception {
        ClassifyResult sample = client.classify(plan.model(), image.jpeg()).get(5, TimeUnit.MINUTES);
        log("%s v%s says (top 5): %s", plan.model(), sample.modelVersion(), sample.predictions() == null
                ? sample.error() : sample.predictions().stream()
                        .map(p -> (p.synset() == null ? "" : p.synset() + " ") + p.label() + " "
                                + String.format("%.3f", p.score()))
                        .collect(Collectors.joining(", ")));
    }

    private void warmUp(KafkaClassifyClient client, LocalStackBroker broker, Plan plan, BenchmarkImage image)
            throws Exception {
        byte[] jpeg = image.jpeg();
        // A deployed broker and service have long been JIT-compiled; fresh ones interpret their Kafka code for the
        // first thousands of records (measured here: a service round trip without a forward pass takes 4.8 ms p50
        // over the first 2,000 requests, 2.5 ms over requests 6,000-8,000, against 1.6-1.9 ms for a plain-client
        // echo). Requests for an unknown model cross the whole Kafka path (client, broker, the service's consumer,
        // JSON, producer) without a forward pass, so they warm it up in seconds.
        int kafkaWarmUp = intOption("kafka-warm-up", 8000);
        log("steady state: %d request/reply round trips through the broker and the service without "
                + "a forward pass, and half as many between plain clients ...", kafkaWarmUp);
        ClosedLoop.run(client, "bench-no-such-model", jpeg, 16, kafkaWarmUp, true);
        KafkaClassifyClient.brokerRoundTrips(broker.bootstrapServers(), jpeg.length * 4 / 3, kafkaWarmUp / 2);
        // then the model's own path (decoding, batching, the forward pass)
        ClosedLoop.run(client, plan.model(), jpeg, Math.min(8, plan.batchSize()),
                intOption("warm-up", 8 * plan.batchSize()), false);
    }

    /**
     * Full batches sent one after another through the Open Inference Protocol: the service's own forward pass on
     * its worker thread, without Kafka in the way (a diagnostic: it separates the model's speed inside the service
     * from the cost of the Kafka path).
     */
    private Stats serviceWorkerAlone(QuarkusProcess service, Plan plan, BenchmarkImage image) throws Exception {
        String model = plan.model();
        int batchSize = plan.batchSize();
        log("service worker alone: batches of %d over HTTP (/v2 infer), no Kafka traffic ...", batchSize);
        int batches = intOption("raw-batches", 8);
        ObjectMapper json = new ObjectMapper();
        String b64 = Base64.getEncoder().encodeToString(image.jpeg());
        String body = json.writeValueAsString(Map.of("inputs", List.of(Map.of("name", "image", "datatype", "BYTES",
                "shape", List.of(batchSize), "data", Collections.nCopies(batchSize, b64)))));
        post(service, "/v2/models/" + model + "/infer", body);
        List<Long> latencies = new ArrayList<>();
        double forward = 0;
        long start = System.nanoTime();
        for (int i = 0; i < batches; i++) {
            long t = System.nanoTime();
            var response = post(service, "/v2/models/" + model + "/infer", body);
            long took = System.nanoTime() - t;
            if (response.statusCode() != 200) {
                throw new IllegalStateException("inference over HTTP failed: " + response.body());
            }
            forward += json.readTree(response.body()).path("parameters").path("inference_ms").asDouble();
            for (int j = 0; j < batchSize; j++) {
                latencies.add(took);
            }
        }
        return Stats.of(latencies, (System.nanoTime() - start) / 1e9, batchSize, 0, Double.NaN, Double.NaN,
                forward / batches);
    }

    private static Stats brokerAlone(LocalStackBroker broker, BenchmarkImage image, int probes) throws Exception {
        log("the broker alone: request and reply hops between plain clients, no service ...");
        return KafkaClassifyClient.brokerRoundTrips(broker.bootstrapServers(), image.jpeg().length * 4 / 3, probes);
    }

    private static Stats kafkaWithoutForwardPass(KafkaClassifyClient client, BenchmarkImage image, int probes)
            throws Exception {
        log("the Kafka path alone: requests for an unknown model, answered without a forward pass ...");
        return ClosedLoop.run(client, "bench-no-such-model", image.jpeg(), 1, probes, true);
    }

    /**
     * Concurrency 1 through Kafka, each request preceded by one raw forward pass of the same image in this JVM, so
     * that both see the same moments of a shared machine's load.
     */
    private static ConcurrencyOne interleaved(KafkaClassifyClient client, QuarkusProcess service, Plan plan,
            BenchmarkImage image, Classifier raw) throws Exception {
        log("concurrency 1, interleaved with the raw model one image at a time ...");
        String model = plan.model();
        byte[] jpeg = image.jpeg();
        int count = plan.requests()[0];
        ObjectMapper json = new ObjectMapper();
        String httpBody = json.writeValueAsString(Map.of("inputs", List.of(Map.of("name", "image", "datatype",
                "BYTES", "shape", List.of(1), "data", List.of(Base64.getEncoder().encodeToString(jpeg))))));
        List<Long> rawTimes = new ArrayList<>();
        List<Long> kafkaTimes = new ArrayList<>();
        List<Long> httpTimes = new ArrayList<>();
        double[] transit = new double[2];
        long httpTotal = 0;
        double httpForward = 0;
        double[] server = new double[3];
        int errors = 0;
        long rawTotal = 0;
        long kafkaTotal = 0;
        try (RawForward.Runner runner = new RawForward.Runner(raw, image.decoded(), 1)) {
            for (int i = 0; i < count; i++) {
                long r = runner.timeOne();
                rawTimes.add(r);
                rawTotal += r;
                long sent = System.nanoTime();
                Instant sentAt = Instant.now();
                ClassifyResult result = client.classify(model, jpeg).get(5, TimeUnit.MINUTES);
                long took = System.nanoTime() - sent;
                Instant back = Instant.now();
                if (result.status() == ClassifyStatus.OK) {
                    double egress = Duration.between(result.completedAt(), back).toNanos() / 1e6;
                    double ingress = Duration.between(sentAt, result.completedAt()).toNanos() / 1e6
                            - result.timings().totalMs();
                    transit[0] += ingress;
                    transit[1] += egress;
                }
                kafkaTimes.add(took);
                kafkaTotal += took;
                if (result.status() == ClassifyStatus.OK) {
                    server[0] += result.timings().totalMs();
                    server[1] += result.timings().queueMs();
                    server[2] += result.timings().inferenceMs();
                } else {
                    errors++;
                    log("error result: %s", result.error());
                }
                long posted = System.nanoTime();
                var response = post(service, "/v2/models/" + model + "/infer", httpBody);
                long httpTook = System.nanoTime() - posted;
                httpTimes.add(httpTook);
                httpTotal += httpTook;
                httpForward += json.readTree(response.body()).path("parameters").path("inference_ms").asDouble();
            }
        }
        int ok = Math.max(1, count - errors);
        log("  Kafka transit at concurrency 1 (wall clocks of one machine): request to handler %.1f ms, result to "
                + "requester %.1f ms (means)", transit[0] / ok, transit[1] / ok);
        return new ConcurrencyOne(Stats.of(rawTimes, rawTotal / 1e9, 1, 0),
                Stats.of(kafkaTimes, kafkaTotal / 1e9, 1, errors, server[0] / ok, server[1] / ok, server[2] / ok),
                Stats.of(httpTimes, httpTotal / 1e9, 1, 0, Double.NaN, Double.NaN, httpForward / count));
    }

    /**
     * A closed-loop run at one higher concurrency through Kafka, split into blocks, with a few passes of the raw
     * model at full batches before each block and after the last: the two throughputs then come from the same
     * minutes of a shared machine's load, which drifts by 10% and more between the start and the end of a run.
     */
    private Blocks inBlocks(KafkaClassifyClient client, Plan plan, BenchmarkImage image, Classifier raw,
            int concurrency, int total) throws Exception {
        String model = plan.model();
        int batchSize = plan.batchSize();
        int blocks = intOption("blocks", 4);
        log("through Kafka at concurrency %d: %d requests in %d blocks, each between passes of "
                + "the raw model at batch %d ...", concurrency, total, blocks, batchSize);
        int rawBatches = intOption("raw-batches-between", 2);
        ClosedLoop.Samples kafka = new ClosedLoop.Samples();
        List<Long> rawTimes = new ArrayList<>();
        long rawTotal = 0;
        try (RawForward.Runner runner = new RawForward.Runner(raw, image.decoded(), batchSize)) {
            for (int b = 0; b <= blocks; b++) {
                for (int i = 0; i < rawBatches; i++) {
                    long took = runner.timeOne();
                    rawTotal += took;
                    for (int j = 0; j < batchSize; j++) {
                        rawTimes.add(took);
                    }
                }
                if (b < blocks) {
                    int share = total / blocks + (b < total % blocks ? 1 : 0);
                    ClosedLoop.run(client, model, image.jpeg(), concurrency, share, false, kafka);
                }
            }
        }
        Stats s = kafka.stats();
        log("  %.2f img/s, p50 %.0f ms, p99 %.0f ms, mean batch %.1f, in service %.0f ms "
                + "(queued %.0f, forward %.0f), %d errors", s.throughput(), s.p50Ms(), s.p99Ms(),
                s.meanBatch(), s.serverMs(), s.queueMs(), s.forwardMs(), s.errors());
        return new Blocks(concurrency, Stats.of(rawTimes, rawTotal / 1e9, batchSize, 0), s);
    }

    private static Classifier openRaw(String model, Path weights) {
        if (ImageNetClassifiers.RESNET50_MODEL_ID.equals(model)) {
            return ImageNetClassifiers.resnet50(VisionSettings.builder().weightsDir(weights)
                    .deviceMode(DeviceMode.CPU).build());
        }
        if (model.startsWith(RANDOM)) {
            // exactly what the service builds for random-<architecture> (StoreModelSource): same seed, size, classes
            return Classifiers.randomWeights(Architecture.parse(model.substring(RANDOM.length())), 224, 1000, 42,
                    DeviceMode.CPU);
        }
        throw new IllegalArgumentException("--model must be random-<architecture> (random-resnet50, or "
                + "random-small-cnn to see the serving overhead alone) or imagenet-resnet50, not " + model);
    }

    /** POSTs a JSON body to the service; returns the status and the body. */
    private static HttpResponse<String> post(QuarkusProcess service, String path, String json)
            throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(service.url() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Resident memory of the service process now and at its peak. */
    private static Resident residentMb(QuarkusProcess service) throws IOException {
        long rss = -1;
        long peak = -1;
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(service.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                rss = Long.parseLong(line.replaceAll("\\D+", "")) / 1024;
            } else if (line.startsWith("VmHWM:")) {
                peak = Long.parseLong(line.replaceAll("\\D+", "")) / 1024;
            }
        }
        return new Resident(rss, peak);
    }

    /** The repository's dog photo at 224x224 (what ResNet-50 takes, so no resize), else a synthetic picture. */
    private byte[] benchmarkImage() throws IOException {
        String dataDir = System.getenv("TRANSFERLAB_DATA_DIR");
        Path dog = (dataDir != null && !dataDir.isBlank() ? Path.of(dataDir) : repo.resolve("data"))
                .resolve("samples/dog.jpg");
        BufferedImage target = new BufferedImage(224, 224, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = target.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        if (Files.isRegularFile(dog)) {
            g.drawImage(ImageIO.read(dog.toFile()), 0, 0, 224, 224, null);
        } else {
            g.setPaint(new GradientPaint(0, 0, Color.ORANGE, 224, 224, Color.BLUE));
            g.fillRect(0, 0, 224, 224);
        }
        g.dispose();
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            ImageIO.write(target, "jpg", out);
            return out.toByteArray();
        }
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " / " + f[1] + " / " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    static void log(String format, Object... args) {
        System.out.printf("[bench %tT] %s%n", System.currentTimeMillis(), String.format(format, args));
    }
}
