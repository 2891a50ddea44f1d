package io.transferlab.contracts.train;

import java.util.List;

/**
 * In the chapter's orientation: {@code counts[p][a]} is how many test images of actual class {@code a} were
 * predicted as class {@code p} (rows Predicted, columns Actual). Columns sum to the per-class test counts.
 */
public record ConfusionMatrix(List<String> labels, int[][] counts) {

    public long total() {
        long sum = 0;
        for (int[] row : counts) {
            for (int c : row) {
                sum += c;
            }
        }
        return sum;
    }
}
