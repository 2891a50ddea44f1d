package io.transferlab.vision.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SamplingTest {

    /** 100 one-pixel images whose pixel is their index; classes 0..3 with 10, 20, 30, 40 images, interleaved. */
    private static LabeledImages set() {
        int[] labels = new int[100];
        byte[] pixels = new byte[100];
        int i = 0;
        int[] remaining = {10, 20, 30, 40};
        while (i < 100) {
            for (int c = 0; c < 4; c++) {
                if (remaining[c] > 0) {
                    remaining[c]--;
                    labels[i] = c;
                    pixels[i] = (byte) i;
                    i++;
                }
            }
        }
        return new LabeledImages(1, 1, 1, pixels, labels, List.of("a", "b", "c", "d"));
    }

    @Test
    void firstTakesTheFirstNInOrder() {
        LabeledImages first = Sampling.first(set(), 7);
        assertThat(first.size()).isEqualTo(7);
        assertThat(first.image(6).at(0, 0, 0)).isEqualTo(6);
        assertThat(Sampling.first(set(), null).size()).isEqualTo(100);
    }

    @Test
    void stratifiedKeepsClassProportionsAndIsSeeded() {
        LabeledImages a = Sampling.stratified(set(), 20, 3);
        assertThat(a.classCounts()).containsExactly(2, 4, 6, 8);
        LabeledImages b = Sampling.stratified(set(), 20, 3);
        LabeledImages c = Sampling.stratified(set(), 20, 4);
        assertThat(a.pixelDigest()).isEqualTo(b.pixelDigest()).isNotEqualTo(c.pixelDigest());
        // original order is kept
        for (int i = 1; i < a.size(); i++) {
            assertThat(a.image(i).at(0, 0, 0)).isGreaterThan(a.image(i - 1).at(0, 0, 0));
        }
    }

    @Test
    void stratifiedRoundsByLargestRemainder() {
        assertThat(Sampling.quotas(new int[] {10, 20, 30, 40}, 100, 7)).containsExactly(1, 1, 2, 3);
        assertThat(Sampling.stratified(set(), 7, 1).size()).isEqualTo(7);
    }

    @Test
    void classSubsetsAreRelabelledInTheGivenOrder() {
        LabeledImages subset = Sampling.classes(set(), List.of(3, 1));
        assertThat(subset.classNames()).containsExactly("d", "b");
        assertThat(subset.size()).isEqualTo(60);
        assertThat(subset.classCounts()).containsExactly(40, 20);
        assertThat(subset.label(0)).isEqualTo(1); // image 1 was class b
        assertThatThrownBy(() -> Sampling.classes(set(), List.of(0, 4))).isInstanceOf(IllegalArgumentException.class);
    }
}
