package io.transferlab.gateway.service;

import io.transferlab.contracts.Ids;
import io.transferlab.contracts.Requester;
import io.transferlab.contracts.SchemaVersion;
import io.transferlab.contracts.train.RunSpec;
import io.transferlab.contracts.train.TrainRequest;
import io.transferlab.contracts.validation.MessageValidator;
import io.transferlab.contracts.validation.ValidationException;
import io.transferlab.contracts.validation.Violation;
import io.transferlab.contracts.validation.Violations;
import io.transferlab.gateway.messaging.SubmissionPublisher;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;

/**
 * Turns a user's spec into a validated train request with a fresh run id, owned by the caller's key, and queues it
 * on Kafka.
 */
@ApplicationScoped
public class TrainingSubmissions {

    private static final Logger LOG = Logger.getLogger(TrainingSubmissions.class);

    private final SubmissionPublisher sender;
    private final RecentSubmissions recent;
    private final UploadedDatasets datasets;
    private final OwnerChecks owners;

    public TrainingSubmissions(SubmissionPublisher sender, RecentSubmissions recent, UploadedDatasets datasets,
            OwnerChecks owners) {
        this.sender = sender;
        this.recent = recent;
        this.datasets = datasets;
        this.owners = owners;
    }

    /**
     * @param requester the caller: the run's owner, and whether it may publish over another key's model
     * @throws ValidationException listing every violation, before anything is sent
     * @return fails with {@link ModelOfAnotherKeyException} when {@code modelId} belongs to another key and the
     *         requester is no admin (nothing is sent)
     */
    public CompletionStage<TrainRequest> submit(RunSpec spec, String modelId, Requester requester,
            String correlationId) {
        if (spec == null) {
            throw new ValidationException(List.of(new Violation("spec", "is required")));
        }
        MessageValidator.requireValid(MessageValidator.validate(
                new TrainRequest(SchemaVersion.CURRENT, "pending", null, modelId, spec, null, null)));
        Violations stored = new Violations();
        datasets.checkStored(spec.dataset(), "spec.dataset", stored);
        stored.throwIfAny();
        TrainRequest request = new TrainRequest(SchemaVersion.CURRENT, Ids.newRunId(), null, modelId,
                spec.withDefaults(), correlationId, Instant.now(), requester.keyName(),
                requester.admin() ? Boolean.TRUE : null);
        return owners.requireMayPublish(modelId, requester).subscribeAsCompletionStage()
                .thenCompose(ok -> sender.train(request)).thenApply(ignored -> {
            recent.run(request);
            LOG.infof("run %s queued (correlation %s)", request.runId(), correlationId);
            return request;
        });
    }
}
