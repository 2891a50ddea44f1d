package io.transferlab.vision.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.transferlab.contracts.ErrorCode;
import io.transferlab.vision.InvalidImageException;
import io.transferlab.vision.TestData;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ImageDecoderTest {

    private final ImageDecoder decoder = new ImageDecoder(8192);

    @Test
    void decodesTheRealDogPhotoAsRgb() throws IOException {
        byte[] jpeg = Files.readAllBytes(TestData.require("samples/dog.jpg").resolve("samples/dog.jpg"));
        DecodedImage image = decoder.decode(jpeg);
        assertThat(image.width()).isEqualTo(768);
        assertThat(image.height()).isEqualTo(576);
        assertThat(image.channels()).isEqualTo(3);
    }

    @Test
    void decodesPngPixelsInRgbOrder() throws IOException {
        BufferedImage img = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, 0xFF0000);
        img.setRGB(1, 0, 0x00FF00);
        img.setRGB(2, 1, 0x0000FF);
        DecodedImage image = decoder.decode(encode(img, "png"));
        assertThat(image.width()).isEqualTo(3);
        assertThat(image.height()).isEqualTo(2);
        assertThat(new int[] {image.at(0, 0, 0), image.at(0, 0, 1), image.at(0, 0, 2)}).containsExactly(255, 0, 0);
        assertThat(new int[] {image.at(1, 0, 0), image.at(1, 0, 1), image.at(1, 0, 2)}).containsExactly(0, 255, 0);
        assertThat(new int[] {image.at(2, 1, 0), image.at(2, 1, 1), image.at(2, 1, 2)}).containsExactly(0, 0, 255);
    }

    @Test
    void keepsGrayImagesAsOneChannel() throws IOException {
        BufferedImage img = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY);
        img.getRaster().setSample(1, 2, 0, 200);
        DecodedImage image = decoder.decode(encode(img, "png"));
        assertThat(image.channels()).isEqualTo(1);
        assertThat(image.at(1, 2, 0)).isEqualTo(200);
    }

    @Test
    void rejectsCorruptBytesWithTheInvalidImageCode() {
        byte[] garbage = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 1, 2, 3, 4, 5, 6, 7};
        assertThatThrownBy(() -> decoder.decode(garbage))
                .isInstanceOf(InvalidImageException.class)
                .satisfies(e -> assertThat(((InvalidImageException) e).code()).isEqualTo(ErrorCode.INVALID_IMAGE));
    }

    @Test
    void rejectsTruncatedJpeg() throws IOException {
        byte[] jpeg = Files.readAllBytes(TestData.require("samples/dog.jpg").resolve("samples/dog.jpg"));
        byte[] half = Arrays.copyOf(jpeg, jpeg.length / 2);
        assertThatThrownBy(() -> decoder.decode(half)).isInstanceOf(InvalidImageException.class)
                .hasMessageContaining("JPEG");
    }

    @Test
    void rejectsPngWithCorruptData() throws IOException {
        BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        java.util.Random random = new java.util.Random(1);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                img.setRGB(x, y, random.nextInt());
            }
        }
        byte[] png = encode(img, "png");
        byte[] broken = Arrays.copyOf(png, png.length / 2);
        assertThatThrownBy(() -> decoder.decode(broken)).isInstanceOf(InvalidImageException.class);
    }

    @Test
    void rejectsFormatsOtherThanJpegAndPngByTheirBytes() throws IOException {
        BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
        assertThatThrownBy(() -> decoder.decode(encode(img, "gif")))
                .isInstanceOf(InvalidImageException.class).hasMessageContaining("only JPEG and PNG");
        assertThatThrownBy(() -> decoder.decode(encode(img, "bmp")))
                .isInstanceOf(InvalidImageException.class).hasMessageContaining("42 4D");
        assertThatThrownBy(() -> decoder.decode(new byte[0])).isInstanceOf(InvalidImageException.class);
    }

    @Test
    void rejectsAbsurdDimensionsBeforeDecodingPixels() {
        // a 70-byte PNG whose header claims 100,000 x 100,000 pixels (30 GB decoded)
        byte[] bomb = pngHeaderOnly(100_000, 100_000);
        assertThatThrownBy(() -> decoder.decode(bomb))
                .isInstanceOf(InvalidImageException.class).hasMessageContaining("100000x100000")
                .hasMessageContaining("8192");
    }

    @Test
    void enforcesAConfiguredBound() throws IOException {
        BufferedImage img = new BufferedImage(65, 10, BufferedImage.TYPE_INT_RGB);
        assertThatThrownBy(() -> new ImageDecoder(64).decode(encode(img, "png")))
                .isInstanceOf(InvalidImageException.class).hasMessageContaining("65x10");
        assertThat(new ImageDecoder(65).decode(encode(img, "png")).width()).isEqualTo(65);
    }

    @Test
    void rejectsZeroDimensions() {
        assertThatThrownBy(() -> decoder.decode(pngHeaderOnly(0, 10))).isInstanceOf(InvalidImageException.class);
    }

    static byte[] encode(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(ImageIO.write(image, format, out)).isTrue();
        return out.toByteArray();
    }

    /** PNG signature, a valid IHDR chunk with the given size, an empty IDAT and IEND. */
    static byte[] pngHeaderOnly(int width, int height) {
        ByteBuffer b = ByteBuffer.allocate(8 + 25 + 12 + 12);
        b.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
        chunk(b, "IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 2)
                .put((byte) 0).put((byte) 0).put((byte) 0).array());
        chunk(b, "IDAT", new byte[0]);
        chunk(b, "IEND", new byte[0]);
        return b.array();
    }

    private static void chunk(ByteBuffer b, String type, byte[] data) {
        b.putInt(data.length);
        byte[] t = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        b.put(t).put(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        b.putInt((int) crc.getValue());
    }
}
