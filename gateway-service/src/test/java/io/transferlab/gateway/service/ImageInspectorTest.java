package io.transferlab.gateway.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.transferlab.contracts.image.ImageFormat;
import io.transferlab.gateway.TestImages;
import io.transferlab.gateway.service.ImageRejectedException.Reason;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ImageInspectorTest {

    private final ImageInspector inspector = new ImageInspector(8, 10000);

    private static Reason reasonOf(Runnable r) {
        try {
            r.run();
        } catch (ImageRejectedException e) {
            return e.reason();
        }
        throw new AssertionError("not rejected");
    }

    @Test
    void readsPngAndJpegDimensionsFromTheHeader() {
        byte[] png = TestImages.png(123, 45);
        byte[] jpeg = TestImages.jpeg(321, 54);
        assertThat(inspector.inspect(png, png.length)).isEqualTo(new ImageInfo(ImageFormat.PNG, 123, 45));
        assertThat(inspector.inspect(jpeg, jpeg.length)).isEqualTo(new ImageInfo(ImageFormat.JPEG, 321, 54));
        assertThat(inspector.inspect(png, 24)).as("the first 24 bytes are enough for a PNG").isNotNull();
    }

    @Test
    void findsTheJpegFrameHeaderBehindLargeMetadataSegments() {
        byte[] jpeg = TestImages.jpeg(64, 32);
        // Insert an APP1 segment of 60 kB (like EXIF) between SOI and the rest.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        int len = 60_000;
        out.write(new byte[] {(byte) 0xFF, (byte) 0xE1, (byte) (len >> 8), (byte) len}, 0, 4);
        out.write(new byte[len - 2], 0, len - 2);
        out.write(jpeg, 2, jpeg.length - 2);
        byte[] withExif = out.toByteArray();
        assertThat(inspector.inspect(withExif, withExif.length)).isEqualTo(new ImageInfo(ImageFormat.JPEG, 64, 32));
    }

    @Test
    void rejectsWhatIsNotJpegOrPngByMagicNumber() {
        byte[] gif = TestImages.gif(16, 16);
        assertThat(reasonOf(() -> inspector.inspect(gif, gif.length))).isEqualTo(Reason.UNSUPPORTED_MEDIA_TYPE);
        assertThat(reasonOf(() -> inspector.inspect(new byte[0], 0))).isEqualTo(Reason.UNSUPPORTED_MEDIA_TYPE);
        assertThatThrownBy(() -> inspector.inspect("GIF89a".getBytes(), 6)).hasMessageContaining("47 49 46 38");
    }

    @Test
    void rejectsPngWithCorruptHeader() {
        byte[] png = TestImages.png(16, 16);
        byte[] truncated = Arrays.copyOf(png, 20);
        assertThat(reasonOf(() -> inspector.inspect(truncated, truncated.length))).isEqualTo(Reason.CORRUPT_HEADER);
        byte[] zeroWidth = png.clone();
        zeroWidth[16] = zeroWidth[17] = zeroWidth[18] = zeroWidth[19] = 0;
        assertThat(reasonOf(() -> inspector.inspect(zeroWidth, zeroWidth.length))).isEqualTo(Reason.CORRUPT_HEADER);
    }

    @Test
    void rejectsJpegWithoutFrameHeader() {
        byte[] noFrame = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xDA, 0, 2};
        assertThat(reasonOf(() -> inspector.inspect(noFrame, noFrame.length))).isEqualTo(Reason.CORRUPT_HEADER);
        byte[] garbage = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 4, 1, 2, 0x42};
        assertThat(reasonOf(() -> inspector.inspect(garbage, garbage.length))).isEqualTo(Reason.CORRUPT_HEADER);
    }

    @Test
    void enforcesDimensionBounds() {
        byte[] small = TestImages.png(7, 100);
        assertThat(reasonOf(() -> inspector.inspect(small, small.length))).isEqualTo(Reason.DIMENSIONS_OUT_OF_BOUNDS);
        byte[] edge = TestImages.png(8, 8);
        assertThat(inspector.inspect(edge, edge.length).width()).isEqualTo(8);
        ImageInspector tight = new ImageInspector(1, 50);
        byte[] wide = TestImages.jpeg(51, 10);
        assertThat(reasonOf(() -> tight.inspect(wide, wide.length))).isEqualTo(Reason.DIMENSIONS_OUT_OF_BOUNDS);
    }
}
