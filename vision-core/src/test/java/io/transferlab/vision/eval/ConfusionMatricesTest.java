package io.transferlab.vision.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.transferlab.contracts.train.ClassAccuracy;
import io.transferlab.contracts.train.ConfusionMatrix;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfusionMatricesTest {

    @Test
    void rowsArePredictedColumnsAreActualAndAccuracyIsDiagonalOverColumn() {
        // actual:    cat cat cat dog dog bird
        // predicted: cat dog cat dog cat dog
        int[] actual = {0, 0, 0, 1, 1, 2};
        int[] predicted = {0, 1, 0, 1, 0, 1};
        ConfusionMatrix m = ConfusionMatrices.of(List.of("cat", "dog", "bird"), predicted, actual);
        assertThat(m.counts()).isDeepEqualTo(new int[][] {
                {2, 1, 0},
                {1, 1, 1},
                {0, 0, 0}});
        assertThat(m.total()).isEqualTo(6);
        List<ClassAccuracy> perClass = ConfusionMatrices.perClassAccuracy(m);
        assertThat(perClass.get(0).accuracy()).isCloseTo(100.0 * 2 / 3, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(perClass.get(0).support()).isEqualTo(3);
        assertThat(perClass.get(1).accuracy()).isEqualTo(50.0);
        assertThat(perClass.get(2).accuracy()).isEqualTo(0.0);
        assertThat(perClass.get(2).label()).isEqualTo("bird");
    }

    @Test
    void classesWithoutTestImagesHaveNoAccuracy() {
        ConfusionMatrix m = ConfusionMatrices.of(List.of("a", "b"), new int[] {0}, new int[] {0});
        assertThat(ConfusionMatrices.perClassAccuracy(m).get(1).accuracy()).isNull();
        assertThat(ConfusionMatrices.perClassAccuracy(m).get(1).support()).isZero();
    }
}
