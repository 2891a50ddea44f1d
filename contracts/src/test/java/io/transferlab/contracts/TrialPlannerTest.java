package io.transferlab.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import io.transferlab.contracts.tune.ParamSpace;
import io.transferlab.contracts.tune.RandomSearch;
import io.transferlab.contracts.tune.Trial;
import io.transferlab.contracts.tune.TrialPlanner;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrialPlannerTest {

    @Test
    void theChaptersGridMakesEightTrialsFirstFlagSlowest() {
        List<Trial> trials = TrialPlanner.grid(Samples.spec(), Samples.chapterGrid());
        assertThat(trials).hasSize(8);
        assertThat(trials).extracting(t -> t.spec().denseUnits()).containsExactly(256, 256, 256, 256, 512, 512, 512, 512);
        assertThat(trials).extracting(t -> t.spec().batchSize()).containsExactly(10, 30, 10, 30, 10, 30, 10, 30);
        assertThat(trials.get(3).flags()).containsExactly(
                Map.entry("denseUnits", 256), Map.entry("dropout", 0.3), Map.entry("batchSize", 30));
        // Unvaried flags keep the base spec's values.
        assertThat(trials).allSatisfy(t -> assertThat(t.spec().optimizer()).isEqualTo("adam"));
        assertThat(trials).extracting(Trial::index).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
    }

    @Test
    void randomSearchIsReproducibleAndStaysInRange() {
        RandomSearch search = new RandomSearch(20, 7L, Map.of(
                "learningRate", new ParamSpace(null, 1e-4, 1e-2, true, false),
                "denseUnits", new ParamSpace(null, 32.0, 512.0, false, true),
                "optimizer", new ParamSpace(List.of("adam", "rmsprop"), null, null, null, null)));
        List<Trial> a = TrialPlanner.random(Samples.spec(), search);
        List<Trial> b = TrialPlanner.random(Samples.spec(), search);
        assertThat(a).hasSize(20);
        assertThat(a).extracting(Trial::spec).isEqualTo(b.stream().map(Trial::spec).toList());
        assertThat(a).allSatisfy(t -> {
            assertThat(t.spec().learningRate()).isBetween(1e-4, 1e-2);
            assertThat(t.spec().denseUnits()).isBetween(32, 512);
            assertThat(t.spec().optimizer()).isIn("adam", "rmsprop");
        });
        assertThat(a.stream().map(t -> t.spec().optimizer()).distinct()).hasSize(2);
    }
}
