package io.transferlab.vision.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.transferlab.testsupport.LoopbackServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fetching on first use from a loopback HTTP server: verified, cached, resumed, shared, offline, mirrored. */
class FetcherIT {

    @TempDir
    Path cache;

    private LoopbackServer server;
    private byte[] content;
    private String sha;

    @BeforeEach
    void serve() throws Exception {
        content = new byte[300_000];
        new Random(7).nextBytes(content);
        sha = LoopbackServer.sha256(content);
        server = new LoopbackServer().serve("/models/net-" + sha.substring(0, 8) + ".pth", content);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private FetchSettings settings() {
        return new FetchSettings(false, null, server.url("/models/"), null, 1 << 20, 3, Duration.ofMillis(10),
                Map.of());
    }

    private RemoteFile file(FetchSettings settings) {
        String name = "net-" + sha.substring(0, 8) + ".pth";
        return new RemoteFile(name, settings.weightsUrl(name), Checksum.sha256Prefix(sha.substring(0, 8)));
    }

    private String path() {
        return "/models/net-" + sha.substring(0, 8) + ".pth";
    }

    @Test
    void fetchesOnFirstUseThenHitsTheCache() throws Exception {
        Fetcher fetcher = new Fetcher(settings());
        Path first = fetcher.fetch(file(settings()), cache);
        assertThat(Files.readAllBytes(first)).isEqualTo(content);
        Path second = fetcher.fetch(file(settings()), cache);
        assertThat(second).isEqualTo(first);
        assertThat(server.requests(path())).isEqualTo(1);
        try (var listing = Files.list(cache)) {
            assertThat(listing.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".part"))).isEmpty();
        }
    }

    @Test
    void refusesBytesThatDoNotMatchTheChecksum() {
        byte[] wrong = content.clone();
        wrong[1234] ^= 1;
        server.serve(path(), wrong);
        assertThatThrownBy(() -> new Fetcher(settings()).fetch(file(settings()), cache))
                .isInstanceOf(ChecksumMismatchException.class)
                .hasMessageContaining("not the published SHA-256 " + sha.substring(0, 8));
        assertThat(cache.resolve(file(settings()).fileName())).doesNotExist();
        assertThat(cache.resolve(file(settings()).fileName() + ".part")).doesNotExist();
    }

    @Test
    void resumesATruncatedTransferWithARangeRequest() throws Exception {
        server.truncateNext(1);
        Path fetched = new Fetcher(settings()).fetch(file(settings()), cache);
        assertThat(Files.readAllBytes(fetched)).isEqualTo(content);
        assertThat(server.requests(path())).isEqualTo(2);
        assertThat(server.rangeRequests(path())).isEqualTo(1);
    }

    @Test
    void givesUpAfterItsTries() {
        server.truncateNext(10);
        assertThatThrownBy(() -> new Fetcher(settings()).fetch(file(settings()), cache))
                .isInstanceOf(FetchException.class)
                .hasMessageContaining(server.url(path()));
        assertThat(server.requests(path())).isEqualTo(3);
        assertThat(cache.resolve(file(settings()).fileName())).doesNotExist();
    }

    @Test
    void replacesACorruptCachedFile() throws Exception {
        Path target = cache.resolve(file(settings()).fileName());
        Files.write(target, new byte[] {1, 2, 3});
        Path fetched = new Fetcher(settings()).fetch(file(settings()), cache);
        assertThat(Files.readAllBytes(fetched)).isEqualTo(content);
        assertThat(server.requests(path())).isEqualTo(1);
    }

    @Test
    void concurrentRunsDownloadOnce() throws Exception {
        server.hold();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Path>> runs = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                // separate fetchers, as two runs (or two replicas on one volume) would have
                runs.add(pool.submit(() -> new Fetcher(settings()).fetch(file(settings()), cache)));
            }
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20))
                    .until(() -> server.requests(path()) == 1);
            server.release();
            for (Future<Path> run : runs) {
                assertThat(Files.readAllBytes(run.get())).isEqualTo(content);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(server.requests(path())).isEqualTo(1);
    }

    @Test
    void offlineSwitchNamesTheFileTheUrlAndTheMirrorSetting() {
        FetchSettings offline = settings().withOffline(true);
        assertThatThrownBy(() -> new Fetcher(offline).fetch(file(offline), cache))
                .isInstanceOf(OfflineException.class)
                .hasMessageContaining(file(offline).fileName())
                .hasMessageContaining(server.url(path()))
                .hasMessageContaining("TRANSFERLAB_OFFLINE=true")
                .hasMessageContaining("TRANSFERLAB_MIRROR_URL");
        assertThat(server.requests(path())).isZero();
    }

    @Test
    void mirrorReplacesTheDefaultSources() throws Exception {
        server.serve("/mirror/net-" + sha.substring(0, 8) + ".pth", content);
        FetchSettings mirrored = FetchSettings.fromEnvironment(Map.of("TRANSFERLAB_MIRROR_URL", server.url("/mirror")));
        assertThat(mirrored.cifar10Url()).isEqualTo(server.url("/mirror/cifar-10-binary.tar.gz"));
        assertThat(FetchSettings.defaults().weightsUrl("resnet50-0676ba61.pth"))
                .isEqualTo("https://download.pytorch.org/models/resnet50-0676ba61.pth");
        Path fetched = new Fetcher(mirrored).fetch(file(mirrored), cache);
        assertThat(Files.readAllBytes(fetched)).isEqualTo(content);
        assertThat(server.requests("/mirror/net-" + sha.substring(0, 8) + ".pth")).isEqualTo(1);
    }

    @Test
    void refusesFilesOverTheSizeLimit() {
        FetchSettings small = new FetchSettings(false, null, server.url("/models/"), null, 1000, 1,
                Duration.ofMillis(10), Map.of());
        assertThatThrownBy(() -> new Fetcher(small).fetch(file(small), cache))
                .isInstanceOf(FetchException.class)
                .hasMessageContaining("over the limit of 1000");
    }
}
