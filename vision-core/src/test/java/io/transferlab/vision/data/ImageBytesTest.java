package io.transferlab.vision.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Data sets above 2 GiB. The big set here is logical: 15,000 RGB images of 224 px are 2,257,920,000 bytes (more
 * than 2^31), but chunks are allocated only when an image is written into them, and the test writes three images
 * into 1 MiB chunks, so it holds about 3 MiB: what it checks is the long offset and chunk arithmetic at the far end
 * of the set and across chunk borders, which is where int arithmetic overflowed ({@code new byte[n * imageBytes]}).
 */
class ImageBytesTest {

    private static final int SIDE = 224;
    private static final int IMAGE = SIDE * SIDE * 3;
    private static final int COUNT = 15_000;

    private static byte[] image(int seed) {
        byte[] b = new byte[IMAGE];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (seed * 31 + i);
        }
        return b;
    }

    @Test
    void aSetLargerThanTwoGibibytesIsAddressedWithLongOffsetsAcrossChunks() {
        ImageBytes bytes = new ImageBytes(IMAGE, COUNT, 1 << 20); // 6 images per chunk
        assertThat(bytes.totalBytes()).isEqualTo(2_257_920_000L).isGreaterThan(Integer.MAX_VALUE);
        assertThat(bytes.chunkCount()).isEqualTo(2_500);

        int last = COUNT - 1;
        bytes.put(5, image(5), 0); // the last image of the first chunk
        bytes.put(6, image(6), 0); // the first of the second
        bytes.put(last, image(last), 0); // byte offset 2,257,769,472: past 2^31
        assertThat(bytes.allocatedChunks()).isEqualTo(2 + 1);
        assertThat(bytes.get(5)).isEqualTo(image(5));
        assertThat(bytes.get(6)).isEqualTo(image(6));
        assertThat(bytes.get(last)).isEqualTo(image(last));
        assertThat(bytes.get(7)).containsOnly(0); // never written: zeros, still unallocated
        assertThat(bytes.allocatedChunks()).isEqualTo(3);
        assertThatThrownBy(() -> bytes.get(COUNT)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void labeledImagesOfMoreThanTwoGibibytesSelectAndDigest() {
        ImageBytes bytes = new ImageBytes(IMAGE, COUNT, 1 << 20);
        bytes.put(COUNT - 1, image(1), 0);
        bytes.put(0, image(2), 0);
        int[] labels = new int[COUNT];
        labels[COUNT - 1] = 1;
        LabeledImages set = new LabeledImages(SIDE, SIDE, 3, bytes, labels, List.of("a", "b"));
        assertThat(set.byteSize()).isEqualTo(2_257_920_000L);
        assertThat(set.image(COUNT - 1).pixels()).isEqualTo(image(1));

        LabeledImages picked = set.select(new int[] {COUNT - 1, 0});
        assertThat(picked.size()).isEqualTo(2);
        assertThat(picked.label(0)).isEqualTo(1);
        assertThat(picked.image(0).pixels()).isEqualTo(image(1));
        assertThat(picked.image(1).pixels()).isEqualTo(image(2));
        assertThat(set.range(COUNT - 2, COUNT).image(1).pixels()).isEqualTo(image(1));
    }

    @Test
    void chunkedAndSingleArraySetsWithTheSamePixelsHaveTheSameDigest() {
        byte[] all = new byte[4 * 12];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        ImageBytes chunked = new ImageBytes(12, 4, 24); // two images per chunk
        for (int i = 0; i < 4; i++) {
            chunked.put(i, all, i * 12);
        }
        int[] labels = {0, 1, 0, 1};
        LabeledImages a = new LabeledImages(2, 2, 3, all, labels, List.of("x", "y"));
        LabeledImages b = new LabeledImages(2, 2, 3, chunked, labels, List.of("x", "y"));
        assertThat(b.pixelDigest()).isEqualTo(a.pixelDigest());
        assertThat(b.image(3).pixels()).isEqualTo(Arrays.copyOfRange(all, 36, 48));
    }
}
