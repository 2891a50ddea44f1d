package io.transferlab.vision.data;

import io.transferlab.vision.UnknownDatasetException;
import io.transferlab.vision.fetch.Checksum;
import io.transferlab.vision.fetch.DirectoryLock;
import io.transferlab.vision.fetch.FetchException;
import io.transferlab.vision.fetch.FetchSettings;
import io.transferlab.vision.fetch.Fetcher;
import io.transferlab.vision.fetch.RemoteFile;
import io.transferlab.vision.fetch.TarGz;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs CIFAR-10 on first use, as Keras' {@code dataset_cifar10()} does: the CIFAR-10 site's binary version
 * ({@code cifar-10-binary.tar.gz}, checked against its published MD5) is fetched into
 * {@code <dataDir>/.downloads/}, unpacked into a temporary folder beside the target, and renamed into place as
 * {@code <dataDir>/cifar10/cifar-10-batches-bin/}, so a reader sees all six files or none.
 */
final class Cifar10Download {

    static final String ARCHIVE = "cifar-10-binary.tar.gz";
    /** Published on the CIFAR-10 site next to the archive. */
    static final String ARCHIVE_MD5 = "c32a1d4ab5d03f1284b67883e8d87530";
    static final String BATCHES_DIR = "cifar-10-batches-bin";
    private static final List<String> FILES = List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin",
            "data_batch_4.bin", "data_batch_5.bin", "test_batch.bin", "batches.meta.txt");
    private static final long MAX_FILE_BYTES = 64L << 20;
    private static final Logger LOG = LoggerFactory.getLogger(Cifar10Download.class);

    private Cifar10Download() {
    }

    static final Checksum PUBLISHED = Checksum.md5(ARCHIVE_MD5);

    /**
     * Downloads and unpacks CIFAR-10 into {@code <dataDir>/cifar10/} unless another run just did.
     *
     * @param checksum the archive's: {@link #PUBLISHED} (tests serve archives of their own)
     */
    static void install(Path dataDir, FetchSettings settings, Checksum checksum, String missing) {
        RemoteFile remote = new RemoteFile(ARCHIVE, settings.cifar10Url(), checksum);
        Path base = dataDir.resolve("cifar10");
        Path target = base.resolve(BATCHES_DIR);
        try {
            Path archive = new Fetcher(settings).fetch(remote, dataDir.resolve(".downloads"));
            try (DirectoryLock ignored = DirectoryLock.acquire(base, BATCHES_DIR)) {
                if (complete(target)) {
                    return;
                }
                Path tmp = base.resolve("." + BATCHES_DIR + "-" + UUID.randomUUID());
                try {
                    List<String> written = TarGz.extract(archive, tmp, FILES::contains, MAX_FILE_BYTES);
                    if (!written.containsAll(FILES.subList(0, 6))) {
                        throw new IOException(archive + " lacks some of " + FILES.subList(0, 6) + ": has " + written);
                    }
                    if (Files.exists(target)) {
                        LOG.warn("{} is incomplete: replacing it", target.toAbsolutePath());
                        deleteTree(target);
                    }
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                    LOG.info("CIFAR-10 installed in {}", target.toAbsolutePath());
                } finally {
                    deleteTree(tmp);
                }
            }
        } catch (FetchException e) {
            throw new UnknownDatasetException(missing + "; it cannot be downloaded from " + remote.url() + " ("
                    + e.getMessage() + "). Copy " + ARCHIVE + " (or its unpacked files) there, or serve it from a "
                    + "mirror (" + FetchSettings.ENV_MIRROR_URL + " or " + FetchSettings.ENV_CIFAR10_URL + ")", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack CIFAR-10 into " + base.toAbsolutePath() + ": " + e, e);
        }
    }

    private static boolean complete(Path dir) {
        return FILES.subList(0, 6).stream().allMatch(f -> Files.isRegularFile(dir.resolve(f)));
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
