package io.transferlab.gateway.service;

import io.transferlab.contracts.Ids;
import io.transferlab.contracts.Requester;
import io.transferlab.contracts.SchemaVersion;
import io.transferlab.contracts.train.RunSpec;
import io.transferlab.contracts.tune.Objective;
import io.transferlab.contracts.tune.ParamSpace;
import io.transferlab.contracts.tune.RandomSearch;
import io.transferlab.contracts.tune.TrialPlanner;
import io.transferlab.contracts.tune.TuneRequest;
import io.transferlab.contracts.validation.MessageValidator;
import io.transferlab.contracts.validation.Violations;
import io.transferlab.gateway.messaging.SubmissionPublisher;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;

/** Validates a study, gives it a fresh study id and queues it for the tuner on {@code vision.tune.requests}. */
@ApplicationScoped
public class TuningSubmissions {

    private static final Logger LOG = Logger.getLogger(TuningSubmissions.class);

    private final SubmissionPublisher sender;
    private final RecentSubmissions recent;
    private final UploadedDatasets datasets;

    public TuningSubmissions(SubmissionPublisher sender, RecentSubmissions recent, UploadedDatasets datasets) {
        this.sender = sender;
        this.recent = recent;
        this.datasets = datasets;
    }

    /**
     * The base spec goes out as given (not with defaults resolved): defaults that depend on a flag the grid varies
     * (the learning rate follows the optimizer) must be resolved per trial, which the tuner does.
     *
     * <p>The study belongs to {@code requester}'s key, and so do its trials' runs and models (each trial publishes
     * under its own run id, so a study never publishes into an existing model and needs no up-front model check).
     *
     * @throws io.transferlab.contracts.validation.ValidationException listing every violation
     */
    public CompletionStage<Queued> submit(String name, RunSpec baseSpec, Map<String, List<Object>> grid,
            RandomSearch random, Integer maxParallel, Objective objective, Requester requester,
            String correlationId) {
        TuneRequest request = new TuneRequest(SchemaVersion.CURRENT, Ids.newStudyId(), name, baseSpec, grid, random,
                maxParallel == null ? TuneRequest.DEFAULT_MAX_PARALLEL : maxParallel,
                objective == null ? Objective.defaultObjective() : objective.withDefaults(), correlationId,
                Instant.now(), requester.keyName(), requester.admin() ? Boolean.TRUE : null);
        MessageValidator.requireValid(MessageValidator.validate(request));
        requireStoredDatasets(baseSpec, grid, random);
        long trials = grid != null ? TrialPlanner.gridSize(grid) : random.trials();
        return sender.tune(request).thenApply(ignored -> {
            recent.study(request, (int) trials);
            LOG.infof("study %s queued: %d trial(s) (correlation %s)", request.studyId(), trials, correlationId);
            return new Queued(request, (int) trials);
        });
    }

    /** Every uploaded data set the study can name (base spec, grid values, random values) must be stored. */
    private void requireStoredDatasets(RunSpec baseSpec, Map<String, List<Object>> grid, RandomSearch random) {
        Violations v = new Violations();
        datasets.checkStored(baseSpec.dataset(), "baseSpec.dataset", v);
        List<Object> gridValues = grid == null ? null : grid.get("dataset");
        for (int i = 0; gridValues != null && i < gridValues.size(); i++) {
            datasets.checkStored(gridValues.get(i), "grid.dataset[" + i + "]", v);
        }
        ParamSpace space = random == null ? null : random.space().get("dataset");
        for (int i = 0; space != null && space.values() != null && i < space.values().size(); i++) {
            datasets.checkStored(space.values().get(i), "random.space.dataset.values[" + i + "]", v);
        }
        v.throwIfAny();
    }

    public record Queued(TuneRequest request, int trialCount) {
    }
}
