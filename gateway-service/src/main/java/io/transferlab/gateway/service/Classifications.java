package io.transferlab.gateway.service;

import io.smallrye.mutiny.Uni;
import io.transferlab.contracts.ErrorCode;
import io.transferlab.contracts.ErrorInfo;
import io.transferlab.contracts.Ids;
import io.transferlab.contracts.SchemaVersion;
import io.transferlab.contracts.classify.ClassifyRequest;
import io.transferlab.contracts.classify.ClassifyResult;
import io.transferlab.contracts.classify.ClassifyStatus;
import io.transferlab.contracts.image.ImageLimits;
import io.transferlab.contracts.model.ModelRef;
import io.transferlab.contracts.validation.MessageValidator;
import io.transferlab.gateway.config.GatewayConfig;
import io.transferlab.gateway.messaging.ClassifyRequestor;
import io.transferlab.gateway.messaging.ClassifyRequestor.ReplyTimeoutException;
import io.transferlab.gateway.metrics.GatewayMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import org.jboss.logging.Logger;

/**
 * Classifies an image through the inference service: checks the image from its header, publishes a classify
 * request and waits for the reply (synchronously up to the configured timeout), or answers at once and lets the
 * caller poll. Every request follows its reply to the end, so a late reply is still stored for polling.
 */
@ApplicationScoped
public class Classifications {

    private static final Logger LOG = Logger.getLogger(Classifications.class);

    private final ClassifyRequestor requestor;
    private final ClassificationStore store;
    private final GatewayMetrics metrics;
    private final ImageInspector inspector;
    private final Duration syncTimeout;
    private final ModelRef defaultModel;
    private final Semaphore inFlight;
    private final int maxInFlight;

    public Classifications(ClassifyRequestor requestor, ClassificationStore store, GatewayMetrics metrics,
            GatewayConfig config) {
        this.requestor = requestor;
        this.store = store;
        this.metrics = metrics;
        this.inspector = new ImageInspector(config.classify().minSide(),
                new ImageLimits(config.classify().maxSide(), config.classify().maxPixels()));
        this.syncTimeout = config.classify().timeout();
        // may pin a version too (imagenet-resnet50@1); a malformed value stops the start, naming the setting
        this.defaultModel = ModelRef.parse(config.classify().defaultModel(),
                "transferlab.gateway.classify.default-model");
        this.maxInFlight = config.classify().maxInFlight();
        this.inFlight = new Semaphore(maxInFlight);
    }

    /** Answers with the predictions, or fails: timeout (504), an error reply, the broker refusing (503). */
    public Uni<Classification> classify(Permit permit, byte[] image, ModelRef model, Integer topK,
            String correlationId) {
        Submitted s = submit(permit, image, model, topK, correlationId);
        return Uni.createFrom().completionStage(s.exchange.reply().copy())
                .ifNoItem().after(syncTimeout).failWith(() -> new ClassificationTimeoutException(s.requestId, syncTimeout))
                .onFailure(ReplyTimeoutException.class)
                .transform(e -> new ClassificationTimeoutException(s.requestId, syncTimeout))
                .map(result -> {
                    Classification c = s.pending.withResult(withId(result, s.requestId));
                    if (result.status() != ClassifyStatus.OK) {
                        throw new ClassificationFailedException(s.requestId, result.error() != null ? result.error()
                                : ErrorInfo.of(ErrorCode.INTERNAL, "the inference service answered ERROR without a reason"));
                    }
                    return c;
                });
    }

    /** Answers once the broker has taken the request; the result is read later by id. */
    public Uni<Classification> submitAsync(Permit permit, byte[] image, ModelRef model, Integer topK,
            String correlationId) {
        Submitted s = submit(permit, image, model, topK, correlationId);
        return Uni.createFrom().completionStage(s.exchange.sent().copy()).map(ignored -> s.pending);
    }

    public Classification get(String requestId) {
        return store.get(requestId).orElseThrow(() -> new UnknownResourceException("classification " + requestId
                + " is not known here: it never existed, or it finished more than the retention time ago"));
    }

    /**
     * Takes one of this replica's in-flight places before the caller reads the image into memory, so that a burst
     * beyond the limit is refused (503) without holding its bodies. Close it when the request fails before it is
     * submitted; a submitted request gives it back when its reply (or failure) arrives.
     *
     * @throws BrokerAwayException when this gateway cannot get replies now (broker away, positions not set)
     * @throws ReplicaBusyException when the in-flight limit is reached
     */
    public Permit admit() {
        if (!requestor.ready()) {
            // readiness is DOWN for the same reason: fail now rather than after the reply timeout
            metrics.classification("unavailable");
            throw new BrokerAwayException("this gateway cannot get classification replies right now (the Kafka "
                    + "broker does not answer, or the reply partitions are not positioned yet); nothing was "
                    + "submitted, retry later");
        }
        if (!inFlight.tryAcquire()) {
            metrics.classification("busy");
            throw new ReplicaBusyException(maxInFlight + " classifications are already waiting for replies on this "
                    + "gateway; retry shortly");
        }
        metrics.inFlight().incrementAndGet();
        return new Permit();
    }

    /** One in-flight place; closing it more than once gives it back once. */
    public final class Permit implements AutoCloseable {
        private final java.util.concurrent.atomic.AtomicBoolean held = new java.util.concurrent.atomic.AtomicBoolean(true);

        private Permit() {
        }

        @Override
        public void close() {
            if (held.compareAndSet(true, false)) {
                inFlight.release();
                metrics.inFlight().decrementAndGet();
            }
        }
    }

    /** The model a request without one gets ({@code transferlab.gateway.classify.default-model}). */
    public ModelRef defaultModel() {
        return defaultModel;
    }

    private Submitted submit(Permit permit, byte[] image, ModelRef model, Integer topK, String correlationId) {
        try {
            return submitHolding(permit, image, model, topK, correlationId);
        } catch (RuntimeException e) {
            permit.close();
            throw e;
        }
    }

    /** {@code model} null: the default model. */
    private Submitted submitHolding(Permit permit, byte[] image, ModelRef model, Integer topK, String correlationId) {
        ImageInfo info;
        try {
            info = inspector.inspect(image, image.length);
        } catch (ImageRejectedException e) {
            metrics.classification("rejected");
            throw e;
        }
        ModelRef ref = model == null ? defaultModel : model;
        String modelId = ref.modelId();
        int k = topK == null ? ClassifyRequest.DEFAULT_TOP_K : topK;
        String requestId = Ids.newRequestId();
        Instant now = Instant.now();
        ClassifyRequest request = new ClassifyRequest(SchemaVersion.CURRENT, requestId, modelId, k, image,
                info.format().mediaType(), now, ref.version());
        try {
            MessageValidator.requireValid(MessageValidator.validate(request));
        } catch (RuntimeException e) {
            metrics.classification("rejected");
            throw e;
        }
        Classification pending = Classification.pending(requestId, modelId, ref.version(), k, info, now);
        store.pending(pending);
        long started = System.nanoTime();
        ClassifyRequestor.Exchange exchange = requestor.request(request, correlationId);
        exchange.reply().whenComplete((result, failure) -> {
            permit.close();
            if (failure == null) {
                metrics.roundTrip(Duration.ofNanos(System.nanoTime() - started));
                metrics.classification(result.status() == ClassifyStatus.OK ? "ok" : "error");
                store.result(withId(result, requestId));
                LOG.infof("classification %s: %s (correlation %s)", requestId, result.status(), correlationId);
            } else {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                boolean timedOut = cause instanceof ReplyTimeoutException;
                metrics.classification(timedOut ? "timeout" : "unavailable");
                store.failed(requestId, timedOut ? ClassificationStatus.TIMED_OUT : ClassificationStatus.FAILED,
                        ErrorInfo.of(timedOut ? ErrorCode.BUSY : ErrorCode.INTERNAL, cause.getMessage()));
                LOG.warnf("classification %s: %s (correlation %s)", requestId, cause.getMessage(), correlationId);
            }
        });
        return new Submitted(requestId, pending, exchange);
    }

    /** Replies are matched by correlation header; the stored view is keyed by our own request id. */
    private static ClassifyResult withId(ClassifyResult r, String requestId) {
        if (requestId.equals(r.requestId())) {
            return r;
        }
        return new ClassifyResult(r.schemaVersion(), requestId, r.status(), r.modelId(), r.modelVersion(),
                r.predictions(), r.timings(), r.batchSize(), r.error(), r.completedAt());
    }

    private record Submitted(String requestId, Classification pending, ClassifyRequestor.Exchange exchange) {
    }
}
