package io.transferlab.vision.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/** Where batches of network inputs come from: images, or backbone features computed earlier. */
public interface BatchSource {

    int size();

    int label(int position);

    /**
     * The inputs at {@code positions}, stacked on a new first axis and attached to {@code manager}. Sources that
     * augment do so only when {@code training}.
     */
    NDArray inputs(NDManager manager, int[] positions, boolean training);

    default int[] labels(int[] positions) {
        int[] labels = new int[positions.length];
        for (int i = 0; i < positions.length; i++) {
            labels[i] = label(positions[i]);
        }
        return labels;
    }
}
