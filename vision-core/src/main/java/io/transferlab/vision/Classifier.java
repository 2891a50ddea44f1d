package io.transferlab.vision;

import io.transferlab.contracts.classify.Prediction;
import io.transferlab.vision.image.DecodedImage;
import io.transferlab.vision.image.ImageDecoder;
import java.util.List;

/**
 * A loaded model that ranks labels for images. Thread-safe: each calling thread gets its own predictor, and each
 * call its own native memory scope, released before the call returns. {@link #close()} waits for calls in flight
 * and frees the model's native memory; calls after it fail.
 */
public interface Classifier extends AutoCloseable {

    String modelId();

    int version();

    List<String> labels();

    /** Native memory the parameters take (a memory-bounded model cache budgets with it). */
    long parameterBytes();

    /** The decoder {@link #classify(byte[], int)} uses (its bound is the configured maximum image side). */
    ImageDecoder decoder();

    /**
     * Ranks labels for each image in ONE batched forward pass (images may differ in size: each is resized to the
     * model's input side). Returns, per image, the {@code topK} most probable labels, best first.
     */
    List<List<Prediction>> classify(List<DecodedImage> images, int topK);

    /** Decodes (JPEG or PNG; {@link InvalidImageException} otherwise) and ranks one image. */
    default List<Prediction> classify(byte[] image, int topK) {
        return classify(List.of(decoder().decode(image)), topK).get(0);
    }

    @Override
    void close();
}
