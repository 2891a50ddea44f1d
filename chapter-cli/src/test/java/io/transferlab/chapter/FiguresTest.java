package io.transferlab.chapter;

import static org.assertj.core.api.Assertions.assertThat;

import io.transferlab.chapter.report.Figures;
import io.transferlab.chapter.report.Markdown;
import io.transferlab.contracts.train.ConfusionMatrix;
import io.transferlab.contracts.train.EpochMetrics;
import io.transferlab.contracts.train.TrainStage;
import io.transferlab.vision.data.LabeledImages;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FiguresTest {

    @TempDir
    Path dir;

    @Test
    void drawsTrainingCurvesAsAPng() throws Exception {
        List<EpochMetrics> history = List.of(
                new EpochMetrics(1, TrainStage.TRAIN, 1.2, 0.55, 1.0, 0.62, 100),
                new EpochMetrics(2, TrainStage.TRAIN, 0.8, 0.71, 0.9, 0.66, 100),
                new EpochMetrics(3, TrainStage.TRAIN, 0.5, 0.83, 0.95, 0.65, 100));
        Path png = dir.resolve("curves.png");
        Figures.trainingCurves("run-1", history, png);
        BufferedImage img = ImageIO.read(png.toFile());
        assertThat(img.getWidth()).isEqualTo(720);
        assertThat(img.getHeight()).isEqualTo(560);
    }

    @Test
    void drawsTheConfusionMatrixWithDarkerCellsForLargerCounts() throws Exception {
        ConfusionMatrix cm = new ConfusionMatrix(List.of("cat", "dog", "frog"),
                new int[][] {{50, 3, 0}, {2, 40, 1}, {0, 0, 45}});
        Path png = dir.resolve("cm.png");
        Figures.confusionHeatMap("confusion", cm, png);
        BufferedImage img = ImageIO.read(png.toFile());
        assertThat(img.getWidth()).isEqualTo(720);
        // The image holds both near-white (zero cells) and dark (diagonal) blue pixels.
        boolean dark = false;
        boolean light = false;
        for (int y = 0; y < img.getHeight(); y += 3) {
            for (int x = 0; x < img.getWidth(); x += 3) {
                int rgb = img.getRGB(x, y);
                int r = (rgb >> 16) & 0xff;
                int b = rgb & 0xff;
                dark |= r < 60 && b > 150;
                light |= r > 240 && b > 240;
            }
        }
        assertThat(dark).isTrue();
        assertThat(light).isTrue();
    }

    @Test
    void drawsASampleGridFromLabeledImages() throws Exception {
        int n = 6;
        byte[] pixels = new byte[n * 4 * 4];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 7);
        }
        LabeledImages images = new LabeledImages(4, 4, 1, pixels, new int[] {0, 1, 0, 1, 0, 1}, List.of("a", "b"));
        Path png = dir.resolve("grid.png");
        Figures.sampleGrid(images, 6, 3, png);
        BufferedImage img = ImageIO.read(png.toFile());
        assertThat(img.getWidth()).isEqualTo(3 * 96);
        assertThat(img.getHeight()).isEqualTo(2 * (96 + 16));
        assertThat(Figures.toImage(images, 1).getRGB(1, 0) & 0xff).isEqualTo((16 + 1) * 7 & 0xff);
    }

    @Test
    void drawsAccuracyBarsAndWritesMarkdownTables() throws Exception {
        Figures.accuracyBars("test accuracy", Map.of("a", 0.5, "b", 0.8), dir.resolve("bars.png"));
        assertThat(ImageIO.read(dir.resolve("bars.png").toFile())).isNotNull();
        String md = new Markdown().heading(1, "Report").table(List.of("run", "acc"), List.of(List.of("a|b", "0.5")))
                .toString();
        assertThat(md).contains("# Report").contains("|run|acc|").contains("|a\\|b|0.5|");
    }
}
