package io.transferlab.inference.messaging;

import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.transferlab.contracts.ErrorCode;
import io.transferlab.contracts.ErrorInfo;
import io.transferlab.contracts.classify.ClassifyRequest;
import io.transferlab.contracts.classify.ClassifyResult;
import io.transferlab.contracts.json.Json;
import io.transferlab.contracts.json.MessageFormatException;
import io.transferlab.contracts.model.ModelRef;
import io.transferlab.contracts.validation.MessageValidator;
import io.transferlab.contracts.validation.ValidationException;
import io.transferlab.inference.config.InferenceConfig;
import io.transferlab.inference.metrics.InferenceMetrics;
import io.transferlab.inference.metrics.InferenceMetrics.Transport;
import io.transferlab.inference.service.ClassificationService;
import io.transferlab.inference.service.ClassifyResults;
import io.transferlab.inference.service.Failures;
import io.transferlab.inference.service.ImageInput;
import io.transferlab.inference.service.Submission;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Answers every record of {@code vision.classify.requests} with exactly one result where the record asked (see
 * {@link ReplyRoutes}): OK with predictions, or ERROR with the reason. Records that cannot be processed as sent
 * (not JSON, contract violations, unusable reply headers) are answered with an error on the reply route and then
 * nacked, which sends them to {@code vision.classify.requests.dlq} with the reason in the headers.
 *
 * <p>Flow: the connector calls {@link #onRequest} on its event loop, one record at a time; the method only waits
 * (asynchronously) for one of a few intake slots and hands the record to an intake thread, which parses it,
 * leases the model, decodes the image and queues it for the batcher, then frees its slot. The record is acked
 * later, when its result has been acknowledged by the broker (manual acknowledgement; the throttled commit
 * strategy commits an offset once every record before it is acked). So many records are in flight (what lets
 * batches form) while the memory they take stays bounded: the connector's own buffer, the intake slots, and the
 * batch queue. When the queue is full, intake threads wait for room up to the admission timeout (then answer
 * BUSY); with every slot waiting, the handler's stage stays incomplete and the connector stops fetching.
 *
 * <p>Why not {@code @Blocking(ordered = false)}: SmallRye keeps a worker thread for a blocking method until the
 * stage it returns completes, and its merge pulls up to 256 records at once, holding their payloads.
 */
@ApplicationScoped
public class ClassifyRequestConsumer {

    private static final Logger LOG = Logger.getLogger(ClassifyRequestConsumer.class);

    private final ClassificationService classification;
    private final ResultPublisher results;
    private final InferenceMetrics metrics;
    private final ReplyRoutes routes;
    private final Duration admissionTimeout;
    private final IntakeSlots slots;
    private final ExecutorService intake;

    public ClassifyRequestConsumer(ClassificationService classification, ResultPublisher results,
            InferenceMetrics metrics, InferenceConfig config,
            @ConfigProperty(name = "mp.messaging.outgoing.classify-results.topic") String resultsTopic) {
        this.classification = classification;
        this.results = results;
        this.metrics = metrics;
        this.routes = new ReplyRoutes(resultsTopic, Pattern.compile(config.kafka().allowedReplyTopics()));
        this.admissionTimeout = config.kafka().admissionTimeout();
        int threads = config.kafka().intakeThreads();
        this.slots = new IntakeSlots(threads);
        AtomicInteger n = new AtomicInteger();
        this.intake = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "classify-intake-" + n.getAndIncrement());
            t.setDaemon(true);
            return t;
        });
    }

    @Incoming(Channels.CLASSIFY_REQUESTS)
    public CompletionStage<Void> onRequest(Message<String> message) {
        long received = System.nanoTime();
        CompletableFuture<Void> slot = slots.acquire();
        // never blocks the event loop: once a slot is free the record goes to an intake thread
        slot.thenRun(() -> intake.execute(() -> {
            try {
                admit(message, received);
            } catch (RuntimeException e) {
                LOG.errorf(e, "a classify record could not be admitted");
                message.nack(e);
            } finally {
                slots.release();
            }
        }));
        return slot;
    }

    /** Parses, checks and queues one record (on an intake thread); its result and ack follow asynchronously. */
    private void admit(Message<String> message, long received) {
        IncomingKafkaRecordMetadata<?, ?> record = message.getMetadata(IncomingKafkaRecordMetadata.class)
                .orElse(null);
        Headers headers = record == null ? new RecordHeaders() : record.getHeaders();
        String key = record == null || record.getKey() == null ? null : record.getKey().toString();
        ReplyRoute route;
        try {
            route = routes.route(headers);
        } catch (InvalidReplyRouteException e) {
            reject(message, routes.fallback(headers), key, e, received);
            return;
        }
        ClassifyRequest request;
        try {
            request = Json.read(message.getPayload(), ClassifyRequest.class);
            MessageValidator.requireValid(MessageValidator.validate(request));
        } catch (MessageFormatException | ValidationException e) {
            reject(message, route, key, e, received);
            return;
        }
        classify(request, received)
                .thenCompose(result -> answer(route, result, received))
                .handle((sent, failure) -> failure == null ? message.ack() : message.nack(failure))
                .thenCompose(Function.identity())
                .exceptionally(t -> {
                    LOG.errorf(t, "request %s: acknowledging its record failed", request.requestId());
                    return null;
                });
    }

    private CompletionStage<ClassifyResult> classify(ClassifyRequest request, long received) {
        try {
            Submission submission = classification.submit(new ModelRef(request.modelId(), request.modelVersion()),
                    List.of(ImageInput.encoded(request.image())), request.topK(), admissionTimeout);
            return submission.outcomes().handle((outcomes, failure) -> failure == null
                    ? ClassifyResults.ok(request.requestId(), submission, outcomes.get(0), received)
                    : ClassifyResults.error(request.requestId(), request.modelId(), Failures.describe(failure),
                            received));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(
                    ClassifyResults.error(request.requestId(), request.modelId(), Failures.describe(e), received));
        }
    }

    private CompletionStage<Void> answer(ReplyRoute route, ClassifyResult result, long received) {
        metrics.request(Transport.KAFKA, result.error(), System.nanoTime() - received);
        if (result.error() == null) {
            LOG.debugf("request %s: %s v%d, batch of %d, %.1f ms", result.requestId(), result.modelId(),
                    result.modelVersion(), result.batchSize(), result.timings().totalMs());
        } else {
            LOG.infof("request %s: %s %s", result.requestId(), result.error().code(), result.error().message());
        }
        return results.send(route, result.requestId(), result);
    }

    /** Answers with the reason, then dead-letters the record (whether or not the answer could be sent). */
    private void reject(Message<String> message, ReplyRoute route, String key, RuntimeException reason,
            long received) {
        String why = "rejected classify request: " + reason.getMessage();
        ClassifyResult result = ClassifyResults.error(key, null, ErrorInfo.of(ErrorCode.INVALID_SPEC, why),
                received);
        answer(route, result, received)
                .handle((sent, failure) -> {
                    if (failure != null) {
                        LOG.warnf("request %s: the rejection could not be sent: %s", key, failure.getMessage());
                    }
                    return message.nack(new RejectedRequestException(why, reason));
                })
                .thenCompose(Function.identity())
                .exceptionally(t -> {
                    LOG.errorf(t, "request %s: dead-lettering its record failed", key);
                    return null;
                });
    }

    @PreDestroy
    void stop() {
        intake.shutdown();
    }
}
