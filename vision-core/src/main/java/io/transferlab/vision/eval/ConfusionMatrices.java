package io.transferlab.vision.eval;

import io.transferlab.contracts.train.ClassAccuracy;
import io.transferlab.contracts.train.ConfusionMatrix;
import java.util.ArrayList;
import java.util.List;

/**
 * Confusion matrices in the chapter's orientation, rows Predicted and columns Actual, and the per-class accuracy
 * it derives from them: 100 x diagonal / column sum.
 */
public final class ConfusionMatrices {

    private ConfusionMatrices() {
    }

    public static ConfusionMatrix of(List<String> labels, int[] predicted, int[] actual) {
        if (predicted.length != actual.length) {
            throw new IllegalArgumentException(predicted.length + " predictions for " + actual.length + " images");
        }
        int k = labels.size();
        int[][] counts = new int[k][k];
        for (int i = 0; i < actual.length; i++) {
            counts[predicted[i]][actual[i]]++;
        }
        return new ConfusionMatrix(List.copyOf(labels), counts);
    }

    public static List<ClassAccuracy> perClassAccuracy(ConfusionMatrix matrix) {
        int[][] counts = matrix.counts();
        List<ClassAccuracy> result = new ArrayList<>();
        for (int a = 0; a < counts.length; a++) {
            int column = 0;
            for (int[] row : counts) {
                column += row[a];
            }
            Double accuracy = column == 0 ? null : 100.0 * counts[a][a] / column;
            result.add(new ClassAccuracy(a, matrix.labels().get(a), accuracy, column));
        }
        return result;
    }
}
