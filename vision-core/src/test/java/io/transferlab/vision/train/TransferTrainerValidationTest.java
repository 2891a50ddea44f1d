package io.transferlab.vision.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.transferlab.contracts.ErrorCode;
import io.transferlab.contracts.train.RunSpec;
import io.transferlab.vision.InvalidSpecException;
import io.transferlab.vision.MissingWeightsException;
import io.transferlab.vision.TestData;
import io.transferlab.vision.TrainingCancelledException;
import io.transferlab.vision.UnknownDatasetException;
import io.transferlab.vision.UnknownModelException;
import io.transferlab.vision.VisionSettings;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs that fail before training say why, with the right code. */
class TransferTrainerValidationTest {

    @TempDir
    Path work;

    private TransferTrainer trainer() {
        return TransferTrainer.create(TestData.settings(work));
    }

    @Test
    void listsEveryViolationOfTheSpec() {
        RunSpec spec = RunSpec.builder().dataset("mnist").epochs(0).batchSize(-1).optimizer("lbfgs").build();
        assertThatThrownBy(() -> trainer().train("r1", "bad id!", spec, null, null))
                .isInstanceOf(InvalidSpecException.class)
                .satisfies(e -> {
                    InvalidSpecException ex = (InvalidSpecException) e;
                    assertThat(ex.code()).isEqualTo(ErrorCode.INVALID_SPEC);
                    assertThat(ex.violations()).extracting(v -> v.path())
                            .contains("modelId", "epochs", "batchSize", "optimizer");
                });
    }

    @Test
    void rejectsImagesTooSmallForTheArchitecture() {
        RunSpec spec = RunSpec.builder().dataset("mnist").trainSize(20).backbone("vgg16").weights("random")
                .build();
        assertThatThrownBy(() -> trainer().train("r", "m", spec, null, null)).isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("at least 32 px");
    }

    @Test
    void rejectsClassesTheDataSetDoesNotHave() {
        RunSpec spec = RunSpec.builder().dataset("mnist").classes(List.of(1, 12)).trainSize(20).build();
        assertThatThrownBy(() -> trainer().train("r", "m", spec, null, null)).isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("classes[1]");
    }

    @Test
    void missingImageNetWeightsNameTheFileAndTheExport() {
        RunSpec spec = RunSpec.builder().dataset("mnist").trainSize(20).imageSize(32).backbone("resnet50").build();
        assertThatThrownBy(() -> trainer().train("r", "m", spec, null, null))
                .isInstanceOf(MissingWeightsException.class)
                .hasMessageContaining(work.resolve("weights/resnet50-imagenet-notop.pt").toString())
                .hasMessageContaining("export_torchvision.py");
    }

    @Test
    void unknownRunBackbonesAndDataSetsAreNamedFailures() {
        RunSpec run = RunSpec.builder().dataset("mnist").trainSize(20).backbone("run:ghost").build();
        assertThatThrownBy(() -> trainer().train("r", "m", run, null, null)).isInstanceOf(UnknownModelException.class)
                .hasMessageContaining("run:ghost");
        RunSpec upload = RunSpec.builder().dataset("dataset:nothing-here").trainSize(20).build();
        assertThatThrownBy(() -> trainer().train("r", "m", upload, null, null))
                .isInstanceOf(UnknownDatasetException.class);
    }

    @Test
    void aCancelledTokenStopsTheRunBeforeItStarts() {
        CancellationToken token = new CancellationToken();
        token.cancel("user asked");
        RunSpec spec = RunSpec.builder().dataset("mnist").trainSize(20).build();
        assertThatThrownBy(() -> trainer().train("r", "m", spec, null, token))
                .isInstanceOf(TrainingCancelledException.class).hasMessageContaining("user asked")
                .satisfies(e -> assertThat(((TrainingCancelledException) e).code()).isEqualTo(ErrorCode.CANCELLED));
    }

    @Test
    void settingsPointAtTheRealData() {
        VisionSettings s = TestData.settings(work);
        assertThat(s.dataDir().resolve("mnist")).isDirectory();
    }
}
