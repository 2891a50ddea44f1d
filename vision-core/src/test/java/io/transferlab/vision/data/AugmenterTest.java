package io.transferlab.vision.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.transferlab.vision.image.DecodedImage;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AugmenterTest {

    private static DecodedImage ramp() {
        byte[] p = new byte[16];
        for (int i = 0; i < 16; i++) {
            p[i] = (byte) (i % 4 * 10 + i / 4);
        }
        return DecodedImage.gray(4, 4, p);
    }

    @Test
    void flipsMirrorRowsAndHappenAboutHalfTheTime() {
        Augmenter flip = new Augmenter(true, 0, 1);
        int flipped = 0;
        for (int i = 0; i < 200; i++) {
            DecodedImage out = flip.apply(ramp());
            if (out.at(0, 0, 0) == 30) {
                flipped++;
                assertThat(out.at(3, 2, 0)).isEqualTo(ramp().at(0, 2, 0));
            } else {
                assertThat(out.pixels()).isEqualTo(ramp().pixels());
            }
        }
        assertThat(flipped).isBetween(70, 130);
    }

    @Test
    void shiftsStayWithinTheFractionAndFillWithTheNearestEdge() {
        Augmenter shift = new Augmenter(false, 0.25, 2);
        Set<Integer> firstPixels = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            DecodedImage out = shift.apply(ramp());
            firstPixels.add(out.at(0, 0, 0));
            // a shift of at most 1 px: every pixel comes from a neighbour at most 1 away
            assertThat(Math.abs(out.at(2, 2, 0) % 10 - 2)).isLessThanOrEqualTo(1);
        }
        assertThat(firstPixels).hasSizeGreaterThan(1);
    }

    @Test
    void theSameSeedGivesTheSameImages() {
        Augmenter a = new Augmenter(true, 0.25, 9);
        Augmenter b = new Augmenter(true, 0.25, 9);
        for (int i = 0; i < 20; i++) {
            assertThat(a.apply(ramp()).pixels()).isEqualTo(b.apply(ramp()).pixels());
        }
    }
}
