package io.transferlab.vision.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.transferlab.contracts.ErrorCode;
import io.transferlab.vision.TestData;
import io.transferlab.vision.UnknownDatasetException;
import io.transferlab.vision.image.ImageDecoder;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetCatalogTest {

    @TempDir
    Path tmp;

    @Test
    void readsTheRealMnistAndGzippedFashionMnist() {
        DatasetCatalog catalog = new DatasetCatalog(TestData.require("fashion-mnist"), new ImageDecoder(64));
        TrainTestData mnist = catalog.load("mnist", null);
        assertThat(mnist.train().size()).isEqualTo(60_000);
        assertThat(mnist.test().size()).isEqualTo(10_000);
        assertThat(mnist.train().width()).isEqualTo(28);
        assertThat(mnist.train().channels()).isEqualTo(1);
        assertThat(java.util.Arrays.stream(mnist.train().classCounts()).boxed().toList()).allSatisfy(c -> assertThat(c).isBetween(5_000, 7_000));
        // the first MNIST training image is a 5
        assertThat(mnist.train().label(0)).isEqualTo(5);
        TrainTestData fashion = catalog.load("fashion-mnist", null);
        assertThat(fashion.train().size()).isEqualTo(60_000);
        assertThat(fashion.train().classCounts()).containsOnly(6_000);
        assertThat(fashion.classNames()).startsWith("T-shirt/top", "Trouser");
        assertThat(catalog.load("mnist", null)).as("parsed once, then kept").isSameAs(mnist);
    }

    @Test
    void readsCifar10BinaryBatchesInEitherLayout() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("cifar10/cifar-10-batches-bin"));
        for (int i = 1; i <= 5; i++) {
            writeCifar(dir.resolve("data_batch_" + i + ".bin"), i % 10, 2);
        }
        writeCifar(dir.resolve("test_batch.bin"), 9, 3);
        TrainTestData cifar = new DatasetCatalog(tmp, new ImageDecoder(64)).load("cifar10", null);
        assertThat(cifar.train().size()).isEqualTo(10);
        assertThat(cifar.test().size()).isEqualTo(3);
        assertThat(cifar.classNames()).hasSize(10).startsWith("airplane");
        assertThat(cifar.train().label(0)).isEqualTo(1);
        assertThat(cifar.test().label(2)).isEqualTo(9);
        // planar R, G, B on disk; pixel (x=1, y=0) of record 0 has R=1, G=2, B=3 in the file
        assertThat(cifar.train().image(0).at(1, 0, 0)).isEqualTo(1);
        assertThat(cifar.train().image(0).at(1, 0, 1)).isEqualTo(2);
        assertThat(cifar.train().image(0).at(1, 0, 2)).isEqualTo(3);
    }

    @Test
    void missingBuiltInDataNamesTheFolderAndTheFetchScript() {
        DatasetCatalog catalog = new DatasetCatalog(tmp, new ImageDecoder(64));
        assertThatThrownBy(() -> catalog.load("mnist", null)).isInstanceOf(UnknownDatasetException.class)
                .hasMessageContaining("deploy/local/fetch-data").hasMessageContaining(tmp.resolve("mnist").toString())
                .satisfies(e -> assertThat(((UnknownDatasetException) e).code()).isEqualTo(ErrorCode.UNKNOWN_DATASET));
        assertThatThrownBy(() -> catalog.load("cifar10", null)).isInstanceOf(UnknownDatasetException.class)
                .hasMessageContaining("test_batch.bin");
        assertThatThrownBy(() -> catalog.load("dataset:flowers", null)).isInstanceOf(UnknownDatasetException.class)
                .hasMessageContaining("uploads/flowers");
    }

    @Test
    void readsAnUploadedImageFolderWithTrainAndTestSplits() throws IOException {
        Path root = tmp.resolve("uploads/shapes");
        writePng(root.resolve("train/circle/a.png"), 40, 30, 0xFF0000);
        writePng(root.resolve("train/circle/b.png"), 10, 10, 0xFF0000);
        writePng(root.resolve("train/square/a.jpg"), 20, 20, 0x0000FF);
        writePng(root.resolve("test/square/c.png"), 20, 20, 0x0000FF);
        Files.writeString(root.resolve("train/square/notes.txt"), "not an image");
        TrainTestData data = new DatasetCatalog(tmp, new ImageDecoder(64)).load("dataset:shapes", 16);
        assertThat(data.classNames()).containsExactly("circle", "square");
        assertThat(data.train().size()).isEqualTo(3);
        assertThat(data.train().width()).isEqualTo(16);
        assertThat(data.train().channels()).isEqualTo(3);
        assertThat(data.test().size()).isEqualTo(1);
        assertThat(data.test().label(0)).isEqualTo(1);
        assertThat(data.test().image(0).at(5, 5, 2)).isEqualTo(255);
    }

    @Test
    void splitsAFolderWithoutTrainAndTestByTakingTheLastFifthOfEachClass() throws IOException {
        Path root = tmp.resolve("uploads/dots");
        for (int i = 0; i < 5; i++) {
            writePng(root.resolve("a/" + i + ".png"), 4, 4, 0x101010);
            writePng(root.resolve("b/" + i + ".png"), 4, 4, 0xF0F0F0);
        }
        TrainTestData data = new DatasetCatalog(tmp, new ImageDecoder(64)).load("dataset:dots", 4);
        assertThat(data.train().size()).isEqualTo(8);
        assertThat(data.test().size()).isEqualTo(2);
        assertThat(data.test().classCounts()).containsExactly(1, 1);
    }

    @Test
    void anUploadedSetDeletedAfterItWasReadIsNotServedFromMemory() throws IOException {
        Path root = tmp.resolve("uploads/gone");
        for (int i = 0; i < 2; i++) {
            writePng(root.resolve("a/" + i + ".png"), 4, 4, 0x101010);
            writePng(root.resolve("b/" + i + ".png"), 4, 4, 0xF0F0F0);
        }
        DatasetCatalog catalog = new DatasetCatalog(tmp, new ImageDecoder(64));
        assertThat(catalog.load("dataset:gone", 4).train().size()).isPositive();
        try (java.util.stream.Stream<Path> walk = Files.walk(root)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        assertThatThrownBy(() -> catalog.load("dataset:gone", 4)).isInstanceOf(UnknownDatasetException.class);
    }

    @Test
    void readsAHandMadeGzippedIdxFile() throws IOException {
        Path images = tmp.resolve("imgs.gz");
        try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(Files.newOutputStream(images)))) {
            out.writeInt(0x803);
            out.writeInt(2);
            out.writeInt(2);
            out.writeInt(3);
            out.write(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
        }
        Path labels = tmp.resolve("labels");
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(labels))) {
            out.writeInt(0x801);
            out.writeInt(2);
            out.write(new byte[] {1, 0});
        }
        LabeledImages set = IdxFiles.read(images, labels, List.of("a", "b"));
        assertThat(set.size()).isEqualTo(2);
        assertThat(set.width()).isEqualTo(3);
        assertThat(set.height()).isEqualTo(2);
        assertThat(set.image(1).at(2, 1, 0)).isEqualTo(12);
        assertThat(set.label(0)).isEqualTo(1);
    }

    private static void writeCifar(Path file, int label, int records) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int r = 0; r < records; r++) {
                byte[] record = new byte[3073];
                record[0] = (byte) label;
                record[1 + 1] = 1;
                record[1 + 1024 + 1] = 2;
                record[1 + 2048 + 1] = 3;
                out.write(record);
            }
        }
    }

    static void writePng(Path file, int w, int h, int rgb) throws IOException {
        Files.createDirectories(file.getParent());
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, rgb);
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(img, file.toString().endsWith(".jpg") ? "jpeg" : "png", bytes);
        Files.write(file, bytes.toByteArray());
    }
}
