package io.transferlab.contracts.train;

/**
 * Per-class accuracy as the chapter computes it: 100 x diagonal / column sum.
 *
 * @param accuracy percent in [0, 100], null when the class has no test images
 * @param support number of test images of this class
 */
public record ClassAccuracy(int classIndex, String label, Double accuracy, int support) {
}
