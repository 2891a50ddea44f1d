package io.transferlab.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import io.transferlab.contracts.json.Json;
import io.transferlab.contracts.query.StudyStatus;
import io.transferlab.contracts.query.StudyView;
import io.transferlab.contracts.tune.Flags;
import io.transferlab.contracts.tune.Objective;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueryViewsTest {

    @Test
    void flagColumnsAreSnakeCaseWithTheFlagPrefix() {
        assertThat(Flags.column("denseUnits")).isEqualTo("flag_dense_units");
        assertThat(Flags.column("fineTuneLearningRate")).isEqualTo("flag_fine_tune_learning_rate");
        assertThat(Flags.column("dropout")).isEqualTo("flag_dropout");
        assertThat(Flags.NAMES).extracting(Flags::column).doesNotHaveDuplicates();
    }

    @Test
    void aRejectedStudyCarriesItsErrorThroughJson() {
        StudyView rejected = new StudyView("study-1", null, StudyStatus.REJECTED, Objective.defaultObjective(), 2, 0,
                Map.of(), null, null, null, null, null, Instant.parse("2026-11-28T10:00:00Z"), null, List.of(),
                ErrorInfo.of(ErrorCode.INVALID_SPEC, "1 violation(s): maxParallel must be between 1 and 64"), "alice");
        String json = Json.write(rejected);
        assertThat(json).contains("\"status\":\"REJECTED\"").contains("maxParallel must be between 1 and 64");
        StudyView back = Json.read(json, StudyView.class);
        assertThat(back.error()).isEqualTo(rejected.error());
        assertThat(back.status()).isEqualTo(StudyStatus.REJECTED);
        assertThat(back.owner()).isEqualTo("alice");
    }

    @Test
    void theShapeWithoutErrorStillConstructsAndOmitsIt() {
        StudyView running = new StudyView("study-2", "grid", StudyStatus.RUNNING, Objective.defaultObjective(), 2, 8,
                Map.of("QUEUED", 8), null, null, null, null, null, Instant.parse("2026-11-28T10:00:00Z"), null,
                List.of());
        assertThat(running.error()).isNull();
        assertThat(running.owner()).isNull();
        assertThat(Json.write(running)).doesNotContain("error").doesNotContain("owner");
    }
}
