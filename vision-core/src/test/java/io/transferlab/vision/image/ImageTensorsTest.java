package io.transferlab.vision.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageTensorsTest {

    private static DecodedImage rgbPixel(int r, int g, int b) {
        return DecodedImage.rgb(1, 1, new byte[] {(byte) r, (byte) g, (byte) b});
    }

    @Test
    void caffeModeReversesChannelsAndSubtractsTheImageNetMean() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            float[] v = ImageTensors.batch(m, List.of(rgbPixel(200, 100, 50)), 1, Preprocessing.CAFFE).toFloatArray();
            assertThat(v[0]).isCloseTo(50 - 103.939f, within(1e-4f));
            assertThat(v[1]).isCloseTo(100 - 116.779f, within(1e-4f));
            assertThat(v[2]).isCloseTo(200 - 123.68f, within(1e-4f));
        }
    }

    @Test
    void torchModeScalesThenStandardisesPerChannel() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            float[] v = ImageTensors.batch(m, List.of(rgbPixel(255, 0, 128)), 1, Preprocessing.TORCH).toFloatArray();
            assertThat(v[0]).isCloseTo((1f - 0.485f) / 0.229f, within(1e-4f));
            assertThat(v[1]).isCloseTo((0f - 0.456f) / 0.224f, within(1e-4f));
            assertThat(v[2]).isCloseTo((128 / 255f - 0.406f) / 0.225f, within(1e-4f));
        }
    }

    @Test
    void unitAndNoneModes() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            assertThat(ImageTensors.batch(m, List.of(rgbPixel(51, 0, 255)), 1, Preprocessing.UNIT).toFloatArray())
                    .containsExactly(0.2f, 0f, 1f);
            assertThat(ImageTensors.batch(m, List.of(rgbPixel(51, 0, 255)), 1, Preprocessing.NONE).toFloatArray())
                    .containsExactly(51f, 0f, 255f);
        }
    }

    @Test
    void grayBecomesThreeEqualChannelsInPlanarOrder() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            DecodedImage gray = DecodedImage.gray(2, 1, new byte[] {10, 20});
            NDArray x = ImageTensors.batch(m, List.of(gray, gray), 2, Preprocessing.NONE);
            assertThat(x.getShape()).isEqualTo(new Shape(2, 3, 2, 2));
            for (int c = 0; c < 3; c++) {
                assertThat(x.get(1, c, 0).toFloatArray()).containsExactly(10f, 20f);
            }
            NDArray rgb = ImageTensors.batch(m, List.of(DecodedImage.rgb(2, 1, new byte[] {1, 2, 3, 4, 5, 6})), 2,
                    Preprocessing.NONE);
            // rows are stretched from 1 to 2, columns stay: channel planes hold R (1, 4), G (2, 5), B (3, 6)
            assertThat(rgb.get(0, 0, 0).toFloatArray()).containsExactly(1f, 4f);
            assertThat(rgb.get(0, 2, 1).toFloatArray()).containsExactly(3f, 6f);
        }
    }

    @Test
    void bilinearResizeUsesHalfPixelCentres() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            // 2 px wide: 0 and 100; to 4 px: half-pixel centres give 0, 25, 75, 100
            DecodedImage img = DecodedImage.gray(2, 2, new byte[] {0, 100, 0, 100});
            NDArray x = ImageTensors.batch(m, List.of(img), 4, Preprocessing.NONE);
            assertThat(x.get(0, 0, 0).toFloatArray()).containsExactly(0f, 25f, 75f, 100f);
        }
    }
}
