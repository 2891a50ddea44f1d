package io.transferlab.chapter.report;

import io.transferlab.contracts.train.ConfusionMatrix;
import io.transferlab.contracts.train.EpochMetrics;
import io.transferlab.vision.data.LabeledImages;
import io.transferlab.vision.image.DecodedImage;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.LookupPaintScale;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The report's figures, drawn like the chapter's: training curves, confusion heat maps, sample images. */
public final class Figures {

    private static final Color TRAIN = new Color(0x1f77b4);
    private static final Color VALIDATION = new Color(0xff7f0e);

    private Figures() {
    }

    /** Loss (top) and accuracy (bottom) per epoch, training and validation, like Keras' {@code plot(history)}. */
    public static void trainingCurves(String title, List<EpochMetrics> history, Path png) throws IOException {
        XYSeries loss = new XYSeries("loss");
        XYSeries valLoss = new XYSeries("val_loss");
        XYSeries acc = new XYSeries("accuracy");
        XYSeries valAcc = new XYSeries("val_accuracy");
        for (EpochMetrics m : history) {
            loss.add(m.epoch(), m.loss());
            acc.add(m.epoch(), m.accuracy());
            if (m.valLoss() != null) {
                valLoss.add(m.epoch(), m.valLoss());
            }
            if (m.valAccuracy() != null) {
                valAcc.add(m.epoch(), m.valAccuracy());
            }
        }
        NumberAxis epochAxis = new NumberAxis("epoch");
        epochAxis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        epochAxis.setAutoRangeIncludesZero(false);
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(epochAxis);
        plot.add(linePlot("loss", loss, valLoss), 1);
        plot.add(linePlot("accuracy", acc, valAcc), 1);
        plot.setGap(12);
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 720, 560);
    }

    private static XYPlot linePlot(String label, XYSeries train, XYSeries validation) {
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(train);
        if (validation.getItemCount() > 0) {
            data.addSeries(validation);
        }
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        renderer.setSeriesPaint(0, TRAIN);
        renderer.setSeriesPaint(1, VALIDATION);
        renderer.setSeriesStroke(0, new BasicStroke(2f));
        renderer.setSeriesStroke(1, new BasicStroke(2f));
        NumberAxis y = new NumberAxis(label);
        y.setAutoRangeIncludesZero(false);
        XYPlot plot = new XYPlot(data, null, y, renderer);
        plot.setBackgroundPaint(new Color(0xf4f4f4));
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        return plot;
    }

    /** Counts of a confusion matrix as a heat map, Predicted on the vertical axis, Actual on the horizontal one. */
    public static void confusionHeatMap(String title, ConfusionMatrix cm, Path png) throws IOException {
        int n = cm.labels().size();
        double[][] xyz = new double[3][n * n];
        int max = 1;
        int i = 0;
        for (int p = 0; p < n; p++) {
            for (int a = 0; a < n; a++) {
                xyz[0][i] = a;
                xyz[1][i] = p;
                xyz[2][i] = cm.counts()[p][a];
                max = Math.max(max, cm.counts()[p][a]);
                i++;
            }
        }
        DefaultXYZDataset data = new DefaultXYZDataset();
        data.addSeries("counts", xyz);
        String[] labels = cm.labels().stream().map(Figures::shortLabel).toArray(String[]::new);
        SymbolAxis actual = new SymbolAxis("Actual", labels);
        SymbolAxis predicted = new SymbolAxis("Predicted", labels);
        predicted.setInverted(true);
        actual.setVerticalTickLabels(n > 6);
        XYBlockRenderer renderer = new XYBlockRenderer();
        LookupPaintScale scale = new LookupPaintScale(0, max + 1, Color.WHITE);
        for (int step = 0; step <= 20; step++) {
            float t = step / 20f;
            scale.add(max * t, new Color(1f - 0.85f * t, 1f - 0.6f * t, 1f - 0.25f * t));
        }
        renderer.setPaintScale(scale);
        XYPlot plot = new XYPlot(data, actual, predicted, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, n > 10 ? 9 : 12);
        i = 0;
        for (int p = 0; p < n; p++) {
            for (int a = 0; a < n; a++) {
                XYTextAnnotation text = new XYTextAnnotation(String.valueOf(cm.counts()[p][a]), a, p);
                text.setFont(font);
                text.setPaint(cm.counts()[p][a] > max * 0.6 ? Color.WHITE : Color.BLACK);
                plot.addAnnotation(text);
            }
        }
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, false);
        NumberAxis legendAxis = new NumberAxis("count");
        legendAxis.setRange(0, max);
        PaintScaleLegend legend = new PaintScaleLegend(scale, legendAxis);
        legend.setPosition(RectangleEdge.RIGHT);
        legend.setMargin(4, 4, 40, 4);
        chart.addSubtitle(legend);
        chart.setBackgroundPaint(Color.WHITE);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 720, 640);
    }

    /** One bar per run: test accuracy, the chapter's comparison of models. */
    public static void accuracyBars(String title, Map<String, Double> testAccuracyByRun, Path png) throws IOException {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        testAccuracyByRun.forEach((run, acc) -> data.addValue(acc == null ? 0 : acc, "test accuracy", run));
        JFreeChart chart = ChartFactory.createBarChart(title, "run", "test accuracy", data,
                PlotOrientation.HORIZONTAL, false, false, false);
        CategoryPlot plot = chart.getCategoryPlot();
        ((NumberAxis) plot.getRangeAxis()).setRange(0, 1);
        ((BarRenderer) plot.getRenderer()).setSeriesPaint(0, TRAIN);
        plot.setBackgroundPaint(new Color(0xf4f4f4));
        chart.setBackgroundPaint(Color.WHITE);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 820, 120 + 34 * Math.max(1, testAccuracyByRun.size()));
    }

    /** The first {@code count} images of a set in a grid, each with its class name, like the chapter's sample plot. */
    public static void sampleGrid(LabeledImages images, int count, int columns, Path png) throws IOException {
        int n = Math.min(count, images.size());
        int cell = 96;
        int caption = 16;
        int rows = (n + columns - 1) / columns;
        BufferedImage canvas = new BufferedImage(columns * cell, rows * (cell + caption), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, canvas.getWidth(), canvas.getHeight());
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int k = 0; k < n; k++) {
            int x = (k % columns) * cell;
            int y = (k / columns) * (cell + caption);
            g.drawImage(toImage(images, k), x + 4, y + 2, cell - 8, cell - 8, null);
            g.setColor(Color.DARK_GRAY);
            g.drawString(shortLabel(images.classNames().get(images.label(k))), x + 4, y + cell + caption - 6);
        }
        g.dispose();
        ImageIO.write(canvas, "png", png.toFile());
    }

    /** Image {@code index} of the set as a picture (gray or RGB). */
    public static BufferedImage toImage(LabeledImages images, int index) {
        DecodedImage image = images.image(index);
        BufferedImage img = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_INT_RGB);
        boolean gray = image.channels() == 1;
        for (int y = 0; y < image.height(); y++) {
            for (int x = 0; x < image.width(); x++) {
                int r = image.at(x, y, 0);
                int g = gray ? r : image.at(x, y, 1);
                int b = gray ? r : image.at(x, y, 2);
                img.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return img;
    }

    private static String shortLabel(String label) {
        return label.length() > 12 ? label.substring(0, 11) + "." : label;
    }
}
