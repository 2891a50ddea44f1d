package io.transferlab.vision.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.transferlab.testsupport.LoopbackServer;
import io.transferlab.vision.UnknownDatasetException;
import io.transferlab.vision.fetch.Checksum;
import io.transferlab.vision.fetch.FetchSettings;
import io.transferlab.vision.image.ImageDecoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code "dataset": "cifar10"} downloads, verifies and unpacks a CIFAR-10-format archive on first use. */
class Cifar10DownloadIT {

    private static final int RECORD = 3073;

    @TempDir
    Path dataDir;

    /** The real archive's layout: cifar-10-batches-bin/ with five training batches, a test batch and the names. */
    private static byte[] archive(int perBatch) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("cifar-10-batches-bin/", null);
        for (int b = 1; b <= 5; b++) {
            files.put("cifar-10-batches-bin/data_batch_" + b + ".bin", batch(perBatch, b));
        }
        files.put("cifar-10-batches-bin/test_batch.bin", batch(perBatch, 9));
        files.put("cifar-10-batches-bin/batches.meta.txt", "airplane\nautomobile\n".getBytes(StandardCharsets.UTF_8));
        files.put("cifar-10-batches-bin/readme.html", "<html></html>".getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            byte[] header = new byte[512];
            byte[] name = f.getKey().getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(name, 0, header, 0, name.length);
            int size = f.getValue() == null ? 0 : f.getValue().length;
            put(header, 100, "0000644");
            put(header, 124, String.format("%011o", size));
            header[156] = (byte) (f.getValue() == null ? '5' : '0');
            put(header, 257, "ustar");
            put(header, 263, "00");
            for (int i = 148; i < 156; i++) {
                header[i] = ' ';
            }
            int sum = 0;
            for (byte b : header) {
                sum += b & 0xFF;
            }
            put(header, 148, String.format("%06o", sum));
            tar.writeBytes(header);
            if (size > 0) {
                tar.writeBytes(f.getValue());
                tar.writeBytes(new byte[(512 - size % 512) % 512]);
            }
        }
        tar.writeBytes(new byte[1024]);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(tar.toByteArray());
        }
        return gz.toByteArray();
    }

    private static void put(byte[] header, int offset, String value) {
        byte[] b = value.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, header, offset, b.length);
    }

    private static byte[] batch(int records, int seed) {
        byte[] bytes = new byte[records * RECORD];
        for (int r = 0; r < records; r++) {
            bytes[r * RECORD] = (byte) ((r + seed) % 10);
            for (int p = 1; p < RECORD; p++) {
                bytes[r * RECORD + p] = (byte) (p * seed + r);
            }
        }
        return bytes;
    }

    private static FetchSettings settings(String mirror) {
        return new FetchSettings(false, mirror, null, null, 1 << 30, 2, Duration.ofMillis(10), Map.of());
    }

    @Test
    void downloadsVerifiesAndUnpacksOnFirstUseThenReadsFromDisk() throws Exception {
        byte[] archive = archive(20);
        try (LoopbackServer server = new LoopbackServer().serve("/mirror/cifar-10-binary.tar.gz", archive)) {
            // the test's archive is not the published one: the catalog checks it against its own MD5
            Checksum md5 = Checksum.md5(LoopbackServer.md5(archive));
            FetchSettings mirror = settings(server.url("/mirror"));
            TrainTestData data = new DatasetCatalog(dataDir, new ImageDecoder(64), mirror, md5).load("cifar10", null);
            assertThat(data.train().size()).isEqualTo(100);
            assertThat(data.test().size()).isEqualTo(20);
            assertThat(dataDir.resolve("cifar10/cifar-10-batches-bin/test_batch.bin")).isRegularFile();
            assertThat(dataDir.resolve("cifar10/cifar-10-batches-bin/readme.html")).doesNotExist();

            TrainTestData again = new DatasetCatalog(dataDir, new ImageDecoder(64), mirror, md5).load("cifar10", null);
            assertThat(again.train().size()).isEqualTo(100);
            assertThat(server.requests("/mirror/cifar-10-binary.tar.gz")).isEqualTo(1);
        }
    }

    @Test
    void refusesAnArchiveThatIsNotThePublishedOne() throws Exception {
        try (LoopbackServer server = new LoopbackServer().serve("/mirror/cifar-10-binary.tar.gz", archive(2))) {
            FetchSettings mirror = settings(server.url("/mirror"));
            assertThatThrownBy(() -> new DatasetCatalog(dataDir, new ImageDecoder(64), mirror).load("cifar10", null))
                    .isInstanceOf(UnknownDatasetException.class)
                    .hasMessageContaining("c32a1d4ab5d03f1284b67883e8d87530");
            assertThat(dataDir.resolve("cifar10/cifar-10-batches-bin")).doesNotExist();
        }
    }

    @Test
    void offlineItIsTheUnknownDataErrorNamingTheUrlAndTheMirrorSetting() {
        FetchSettings offline = FetchSettings.defaults().withOffline(true);
        assertThatThrownBy(() -> new DatasetCatalog(dataDir, new ImageDecoder(64), offline).load("cifar10", null))
                .isInstanceOf(UnknownDatasetException.class)
                .hasMessageContaining("data set 'cifar10' is not installed")
                .hasMessageContaining("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz")
                .hasMessageContaining("TRANSFERLAB_MIRROR_URL")
                .hasMessageContaining("TRANSFERLAB_OFFLINE=true");
        assertThat(Files.exists(dataDir.resolve(".downloads/cifar-10-binary.tar.gz"))).isFalse();
    }
}
