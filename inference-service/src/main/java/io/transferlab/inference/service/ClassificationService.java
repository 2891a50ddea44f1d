package io.transferlab.inference.service;

import io.transferlab.vision.InvalidImageException;
import io.transferlab.vision.image.DecodedImage;
import io.transferlab.vision.image.ImageDecoder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The path every request takes, whatever its transport: lease the model (loading it on first use), decode and
 * check the images, queue them for batched forward passes. The lease is held until the last image has its result,
 * so neither eviction nor a hot reload closes the model under it.
 */
public final class ClassificationService {

    private final ModelCache cache;
    private final DynamicBatcher batcher;
    private final ImageDecoder decoder;

    public ClassificationService(ModelCache cache, DynamicBatcher batcher, ImageDecoder decoder) {
        this.cache = cache;
        this.batcher = batcher;
        this.decoder = decoder;
    }

    /**
     * Accepts images for the newest version of {@code modelId}.
     *
     * @param admissionWait how long to wait for room in a full queue before answering busy
     * @throws io.transferlab.vision.VisionException unknown model, missing weights, an image that does not decode
     *         or is too large (nothing is queued then)
     * @throws BusyException when the queue has no room for the images within {@code admissionWait}
     */
    public Submission submit(String modelId, List<ImageInput> images, int topK, Duration admissionWait) {
        DynamicBatcher.Arrival arrival = batcher.arriving();
        try {
            return submit(cache.acquire(modelId), images, topK, admissionWait);
        } finally {
            arrival.close();
        }
    }

    private Submission submit(ModelLease lease, List<ImageInput> images, int topK, Duration admissionWait) {
        try {
            long started = System.nanoTime();
            List<DecodedImage> decoded = new ArrayList<>(images.size());
            for (int i = 0; i < images.size(); i++) {
                decoded.add(decode(images.get(i), i, images.size()));
            }
            long decodeNanos = System.nanoTime() - started;
            List<CompletableFuture<BatchOutcome>> outcomes = batcher.submit(lease.model(), decoded, topK,
                    admissionWait);
            CompletableFuture<List<BatchOutcome>> all = CompletableFuture
                    .allOf(outcomes.toArray(CompletableFuture[]::new))
                    .thenApply(done -> outcomes.stream().map(CompletableFuture::join).toList());
            all.whenComplete((result, failure) -> lease.close());
            return new Submission(lease.modelId(), lease.version(), decodeNanos, all);
        } catch (RuntimeException e) {
            lease.close();
            throw e;
        }
    }

    private DecodedImage decode(ImageInput input, int index, int count) {
        try {
            if (input instanceof ImageInput.Encoded encoded) {
                return decoder.decode(encoded.bytes());
            }
            DecodedImage pixels = ((ImageInput.Pixels) input).image();
            if (pixels.width() > decoder.maxSide() || pixels.height() > decoder.maxSide()) {
                throw new InvalidImageException("image is " + pixels.width() + "x" + pixels.height() + " px; at most "
                        + decoder.maxSide() + " px a side are accepted");
            }
            return pixels;
        } catch (InvalidImageException e) {
            throw count == 1 ? e : new InvalidImageException("image " + index + ": " + e.getMessage(), e);
        }
    }

    public ModelCache cache() {
        return cache;
    }

    public DynamicBatcher batcher() {
        return batcher;
    }
}
