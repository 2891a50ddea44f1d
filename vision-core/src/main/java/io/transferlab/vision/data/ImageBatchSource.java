package io.transferlab.vision.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.transferlab.vision.image.DecodedImage;
import io.transferlab.vision.image.ImageTensors;
import io.transferlab.vision.image.Preprocessing;
import java.util.ArrayList;
import java.util.List;

/** Batches made from images: augmented (when training and an augmenter is given), resized, preprocessed. */
public final class ImageBatchSource implements BatchSource {

    private final LabeledImages images;
    private final int side;
    private final Preprocessing preprocessing;
    private final Augmenter augmenter;

    public ImageBatchSource(LabeledImages images, int side, Preprocessing preprocessing, Augmenter augmenter) {
        this.images = images;
        this.side = side;
        this.preprocessing = preprocessing;
        this.augmenter = augmenter != null && augmenter.active() ? augmenter : null;
    }

    public LabeledImages images() {
        return images;
    }

    @Override
    public int size() {
        return images.size();
    }

    @Override
    public int label(int position) {
        return images.label(position);
    }

    @Override
    public NDArray inputs(NDManager manager, int[] positions, boolean training) {
        List<DecodedImage> batch = new ArrayList<>(positions.length);
        for (int p : positions) {
            DecodedImage image = images.image(p);
            batch.add(training && augmenter != null ? augmenter.apply(image) : image);
        }
        return ImageTensors.batch(manager, batch, side, preprocessing);
    }
}
