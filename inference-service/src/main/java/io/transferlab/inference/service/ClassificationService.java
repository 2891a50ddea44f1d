package io.transferlab.inference.service;

import io.transferlab.contracts.model.ModelRef;
import io.transferlab.vision.InvalidImageException;
import io.transferlab.vision.UnknownModelException;
import io.transferlab.vision.image.DecodedImage;
import io.transferlab.vision.image.ImageDecoder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The path every request takes, whatever its transport: decide the version (the pinned one; else the model's
 * {@code production} alias when set; else its newest), lease it (loading it on first use), decode and check the
 * images, queue them for batched forward passes. The lease is held until the last image has its result, so neither
 * eviction nor a hot reload closes the model under it.
 */
public final class ClassificationService {

    private final ModelCache cache;
    private final DynamicBatcher batcher;
    private final ImageDecoder decoder;
    private final ModelAliases aliases;
    private final Duration aliasesCatchUpTimeout;

    /**
     * @param aliasesCatchUpTimeout how long an unpinned request waits, right after the start, for this replica to
     *        read the model aliases before it is answered busy
     */
    public ClassificationService(ModelCache cache, DynamicBatcher batcher, ImageDecoder decoder, ModelAliases aliases,
            Duration aliasesCatchUpTimeout) {
        this.cache = cache;
        this.batcher = batcher;
        this.decoder = decoder;
        this.aliases = aliases;
        this.aliasesCatchUpTimeout = aliasesCatchUpTimeout;
    }

    /**
     * Accepts images for the version {@code model} names (see {@link #lease}).
     *
     * @param admissionWait how long to wait for room in a full queue before answering busy
     * @throws io.transferlab.vision.VisionException unknown model or version, missing weights, an image that does
     *         not decode or is too large (nothing is queued then)
     * @throws BatcherBusyException when the queue has no room for the images within {@code admissionWait}
     * @throws AliasesNotReadException when an unpinned request finds the aliases not read yet
     */
    public Submission submit(ModelRef model, List<ImageInput> images, int topK, Duration admissionWait) {
        DynamicBatcher.Arrival arrival = batcher.arriving();
        try {
            return submit(lease(model), images, topK, admissionWait);
        } finally {
            arrival.close();
        }
    }

    /**
     * A lease on the version that serves {@code model}: exactly the pinned version; unpinned, the version of the
     * model's {@code production} alias when set, else its newest version. The caller closes it.
     */
    public ModelLease lease(ModelRef model) {
        if (model.pinned()) {
            return cache.acquire(model.modelId(), model.version());
        }
        if (!aliases.awaitCaughtUp(aliasesCatchUpTimeout)) {
            throw new AliasesNotReadException("this replica has not read the model aliases (vision.models.aliases) "
                    + "yet, so it cannot tell which version of " + model.modelId() + " serves unpinned requests; "
                    + "retry shortly, or pin a version (" + model.modelId() + "@<version>)");
        }
        Optional<Integer> production = aliases.production(model.modelId());
        if (production.isEmpty()) {
            return cache.acquire(model.modelId());
        }
        try {
            return cache.acquire(model.modelId(), production.get());
        } catch (UnknownModelException e) {
            throw new UnknownModelException("model " + model.modelId() + ": its production alias names version "
                    + production.get() + ", which cannot be found here (" + e.getMessage() + ")", e);
        }
    }

    public ModelAliases aliases() {
        return aliases;
    }

    private Submission submit(ModelLease lease, List<ImageInput> images, int topK, Duration admissionWait) {
        DynamicBatcher.Reservation reservation = null;
        try {
            long started = System.nanoTime();
            // headers first: what decoding will cost is reserved in the batcher's byte budget before a pixel exists
            long need = 0;
            for (int i = 0; i < images.size(); i++) {
                need += cost(images.get(i), i, images.size());
            }
            if (images.size() > 1 && need > batcher.policy().queueMaxBytes()) {
                throw new InvalidImageException(images.size() + " images that decode to " + need / 1_000_000
                        + " MB in one request; this service decodes at most " + batcher.policy().queueMaxBytes()
                        / 1_000_000 + " MB at once: send fewer or smaller images per request");
            }
            reservation = batcher.reserve(need, admissionWait);
            List<DecodedImage> decoded = new ArrayList<>(images.size());
            for (int i = 0; i < images.size(); i++) {
                decoded.add(decode(images.get(i), i, images.size()));
            }
            long decodeNanos = System.nanoTime() - started;
            List<CompletableFuture<BatchOutcome>> outcomes = batcher.submit(lease.model(), decoded, topK,
                    admissionWait, reservation);
            CompletableFuture<List<BatchOutcome>> all = CompletableFuture
                    .allOf(outcomes.toArray(CompletableFuture[]::new))
                    .thenApply(done -> outcomes.stream().map(CompletableFuture::join).toList());
            all.whenComplete((result, failure) -> lease.close());
            return new Submission(lease.modelId(), lease.version(), decodeNanos, all);
        } catch (RuntimeException e) {
            if (reservation != null) {
                reservation.close();
            }
            lease.close();
            throw e;
        }
    }

    /** Peak bytes decoding this input takes, from its header; checks the image limits on the way. */
    private long cost(ImageInput input, int index, int count) {
        try {
            if (input instanceof ImageInput.Encoded encoded) {
                return decoder.probe(encoded.bytes()).decodeBytes();
            }
            DecodedImage pixels = ((ImageInput.Pixels) input).image();
            decoder.check(pixels);
            return pixels.pixels().length;
        } catch (InvalidImageException e) {
            throw count == 1 ? e : new InvalidImageException("image " + index + ": " + e.getMessage(), e);
        }
    }

    private DecodedImage decode(ImageInput input, int index, int count) {
        try {
            if (input instanceof ImageInput.Encoded encoded) {
                return decoder.decode(encoded.bytes());
            }
            DecodedImage pixels = ((ImageInput.Pixels) input).image();
            decoder.check(pixels);
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
