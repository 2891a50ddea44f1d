package io.transferlab.vision.fetch;

import io.transferlab.contracts.retry.Backoff;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches files on first use into a cache directory, like Keras' {@code get_file} and {@code torch.hub}:
 * <ul>
 *   <li>a cached file is used only if it hashes to its checksum; a corrupt or truncated one is deleted and fetched
 *   again;</li>
 *   <li>a download goes to {@code <name>.part} and is renamed into place only after its checksum matched, so no
 *   reader ever sees a partial file;</li>
 *   <li>a broken transfer is retried with back-off, resuming with an HTTP {@code Range} request where the server
 *   allows it;</li>
 *   <li>one download per file however many runs want it: a {@link DirectoryLock} in the cache directory (the
 *   others wait, then find the file);</li>
 *   <li>downloads are bounded in size and logged with progress.</li>
 * </ul>
 */
public final class Fetcher {

    private static final Logger LOG = LoggerFactory.getLogger(Fetcher.class);
    /** The longest pause between tries of one download. */
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(1);
    private static final long PROGRESS_EVERY_NANOS = Duration.ofSeconds(5).toNanos();

    private final FetchSettings settings;
    private final HttpClient http;

    public Fetcher(FetchSettings settings) {
        this.settings = settings;
        this.http = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(20))
                .build();
    }

    public FetchSettings settings() {
        return settings;
    }

    /** The verified file in {@code dir}, downloaded first if it is not there (or not intact). */
    public Path fetch(RemoteFile file, Path dir) {
        Path target = dir.resolve(file.fileName());
        try {
            if (Files.isRegularFile(target) && intact(file, target)) {
                return target;
            }
            if (settings.offline()) {
                throw new OfflineException(file.fileName() + " is not in " + dir.toAbsolutePath() + " and "
                        + FetchSettings.ENV_OFFLINE + "=true forbids downloading it from " + file.url()
                        + "; copy the file there, or allow downloads (" + settings.describe() + ")");
            }
            try (DirectoryLock ignored = DirectoryLock.acquire(dir, file.fileName())) {
                // another process or thread may have fetched it while this one waited
                if (Files.isRegularFile(target) && intact(file, target)) {
                    return target;
                }
                download(file, target);
                return target;
            }
        } catch (IOException e) {
            throw new FetchException("cannot fetch " + file.fileName() + " from " + file.url() + " into "
                    + dir.toAbsolutePath() + ": " + e + " (" + settings.describe() + ")", e);
        }
    }

    private boolean intact(RemoteFile file, Path target) throws IOException {
        String actual = file.checksum().digest(target);
        if (file.checksum().matches(actual)) {
            return true;
        }
        LOG.warn("{} is corrupt or truncated ({} {} is not the expected {}): deleting it and fetching it again",
                target.toAbsolutePath(), file.checksum().algorithm(), actual, file.checksum());
        Files.deleteIfExists(target);
        return false;
    }

    private void download(RemoteFile file, Path target) throws IOException {
        Path part = target.resolveSibling(file.fileName() + ".part");
        IOException last = null;
        Backoff backoff = Backoff.doublingUpTo(settings.firstBackoff(), MAX_BACKOFF);
        for (int attempt = 1; attempt <= settings.attempts(); attempt++) {
            try {
                transfer(file, part);
                String actual = file.checksum().digest(part);
                if (!file.checksum().matches(actual)) {
                    Files.deleteIfExists(part);
                    throw new ChecksumMismatchException(file.url() + " sent a file whose " + file.checksum().algorithm()
                            + " is " + actual + ", not the published " + file.checksum() + ": refused and deleted ("
                            + settings.describe() + ")");
                }
                Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                LOG.info("fetched {} ({} bytes, {} verified) into {}", file.url(), Files.size(target),
                        file.checksum().algorithm(), target.toAbsolutePath());
                return;
            } catch (IOException e) {
                last = e;
                if (attempt < settings.attempts()) {
                    Duration pause = backoff.next();
                    LOG.warn("fetching {} failed (try {} of {}): {}; retrying in {} ms", file.url(), attempt,
                            settings.attempts(), e.toString(), pause.toMillis());
                    sleep(pause);
                }
            }
        }
        throw last;
    }

    /** Appends the rest of the file to {@code part}, from where it stopped if the server honours ranges. */
    private void transfer(RemoteFile file, Path part) throws IOException {
        long have = Files.isRegularFile(part) ? Files.size(part) : 0;
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(file.url()))
                .timeout(Duration.ofMinutes(2))
                .header("User-Agent", "transferlab");
        if (have > 0) {
            request.header("Range", "bytes=" + have + "-");
        }
        HttpResponse<InputStream> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        try (InputStream in = response.body()) {
            int status = response.statusCode();
            boolean resumed = status == 206;
            if (status != 200 && !resumed) {
                throw new IOException("HTTP " + status + " from " + file.url());
            }
            if (resumed) {
                String range = response.headers().firstValue("Content-Range").orElse("");
                if (!range.startsWith("bytes " + have + "-")) {
                    throw new IOException("server answered range " + range + " to a request from byte " + have);
                }
                LOG.info("resuming {} at byte {}", file.url(), have);
            } else {
                have = 0;
            }
            long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            long expectedTotal = length < 0 ? -1 : have + length;
            if (expectedTotal > settings.maxBytes()) {
                throw new FetchException(file.url() + " is " + expectedTotal + " bytes, over the limit of "
                        + settings.maxBytes() + " (" + FetchSettings.ENV_MAX_BYTES + ")");
            }
            LOG.info("downloading {} ({} bytes) to {}", file.url(), expectedTotal < 0 ? "unknown" : expectedTotal,
                    part.toAbsolutePath());
            long written = have;
            long lastLog = System.nanoTime();
            try (OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    resumed ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    written += n;
                    if (written > settings.maxBytes()) {
                        throw new FetchException(file.url() + " sent more than the limit of " + settings.maxBytes()
                                + " bytes (" + FetchSettings.ENV_MAX_BYTES + ")");
                    }
                    out.write(buffer, 0, n);
                    if (System.nanoTime() - lastLog > PROGRESS_EVERY_NANOS) {
                        lastLog = System.nanoTime();
                        LOG.info("downloading {}: {} of {} bytes", file.fileName(), written,
                                expectedTotal < 0 ? "?" : expectedTotal);
                    }
                }
            }
            if (expectedTotal >= 0 && written != expectedTotal) {
                throw new IOException("transfer of " + file.url() + " ended after " + written + " of " + expectedTotal
                        + " bytes");
            }
        }
    }

    private static void sleep(Duration d) throws IOException {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting to retry", e);
        }
    }
}
