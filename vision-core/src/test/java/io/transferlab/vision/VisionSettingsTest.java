package io.transferlab.vision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.transferlab.vision.fetch.FetchSettings;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VisionSettingsTest {

    @Test
    void readsEveryVariable() {
        VisionSettings s = VisionSettings.fromEnvironment(Map.of(
                "TRANSFERLAB_DATA_DIR", "/d",
                "TRANSFERLAB_WEIGHTS_DIR", "/w",
                "TRANSFERLAB_MODEL_STORE", "/m",
                "TRANSFERLAB_FEATURE_CACHE", "/f",
                "TRANSFERLAB_FEATURE_CACHE_MAX_BYTES", "1000",
                "TRANSFERLAB_MAX_IMAGE_SIDE", "4096",
                "TRANSFERLAB_DEVICE", "cpu"));
        assertThat(s).isEqualTo(new VisionSettings(Path.of("/d"), Path.of("/w"), Path.of("/m"), Path.of("/f"), 1000,
                4096, DeviceMode.CPU, FetchSettings.defaults()));
    }

    @Test
    void defaultsFollowTheDataDirectory() {
        VisionSettings s = VisionSettings.fromEnvironment(Map.of("TRANSFERLAB_DATA_DIR", "/data"));
        assertThat(s.weightsDir()).isEqualTo(Path.of("/data/weights"));
        assertThat(s.maxImageSide()).isEqualTo(8192);
        assertThat(s.deviceMode()).isEqualTo(DeviceMode.AUTO);
        assertThat(s.featureCacheMaxBytes()).isEqualTo(VisionSettings.DEFAULT_FEATURE_CACHE_MAX_BYTES);
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> VisionSettings.fromEnvironment(Map.of("TRANSFERLAB_DEVICE", "tpu")))
                .hasMessageContaining("auto, cpu, gpu");
        assertThatThrownBy(() -> VisionSettings.fromEnvironment(Map.of("TRANSFERLAB_MAX_IMAGE_SIDE", "big")))
                .hasMessageContaining("TRANSFERLAB_MAX_IMAGE_SIDE");
        assertThatThrownBy(() -> VisionSettings.builder().maxImageSide(0).build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void autoSelectsTheCpuWhenNoGpuIsVisible() {
        assertThat(Devices.describe(Devices.select(DeviceMode.CPU))).isEqualTo("cpu()");
        if (ai.djl.engine.Engine.getEngine("PyTorch").getGpuCount() == 0) {
            assertThat(Devices.describe(Devices.select(DeviceMode.AUTO))).isEqualTo("cpu()");
            assertThatThrownBy(() -> Devices.select(DeviceMode.GPU)).hasMessageContaining("sees no GPU");
        } else {
            assertThat(Devices.describe(Devices.select(DeviceMode.AUTO))).isEqualTo("gpu(0)");
        }
    }
}
