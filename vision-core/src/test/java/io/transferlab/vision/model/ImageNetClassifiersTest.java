package io.transferlab.vision.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.transferlab.contracts.ErrorCode;
import io.transferlab.vision.MissingWeightsException;
import io.transferlab.vision.VisionSettings;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageNetClassifiersTest {

    @TempDir
    Path weights;

    @Test
    void withoutTheWeightsFileTheErrorSaysWhichFileAndHowToExportIt() {
        VisionSettings settings = VisionSettings.builder().weightsDir(weights).build();
        assertThatThrownBy(() -> ImageNetClassifiers.resnet50(settings))
                .isInstanceOf(MissingWeightsException.class)
                .hasMessageContaining(weights.resolve("resnet50-imagenet.pt").toString())
                .hasMessageContaining("python3 vision-core/scripts/export_torchvision.py --arch resnet50")
                .hasMessageContaining("docs/vision-core.md")
                .satisfies(e -> assertThat(((MissingWeightsException) e).code()).isEqualTo(ErrorCode.MISSING_WEIGHTS));
    }

    @Test
    void labelsAreTheThousandImageNetClassesInTheStandardOrder() {
        ImageNetClassifiers.ImageNetClass[] classes = ImageNetClassifiers.classes();
        assertThat(classes).hasSize(1000);
        assertThat(classes[0]).isEqualTo(new ImageNetClassifiers.ImageNetClass("n01440764", "tench"));
        assertThat(classes[186]).isEqualTo(new ImageNetClassifiers.ImageNetClass("n02094258", "Norwich_terrier"));
    }
}
