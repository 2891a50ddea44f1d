package io.transferlab.tuner.service;

import io.transferlab.contracts.train.TrainProgress;
import io.transferlab.contracts.train.TrainRequest;
import io.transferlab.contracts.train.TrainResult;
import io.transferlab.tuner.persistence.RunRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/**
 * Records what the train topics say about a run, one transaction per message, so that a consumer's retry
 * ({@code DatabaseRetry}) repeats a whole message's rows or none of them.
 */
@ApplicationScoped
public class RunRecording {

    private final RunRepository runs;

    public RunRecording(RunRepository runs) {
        this.runs = runs;
    }

    @Transactional
    public void requested(TrainRequest request) {
        runs.requested(request, null, null);
    }

    @Transactional
    public void progressed(TrainProgress progress) {
        runs.progressed(progress);
    }

    /** @return false when the run was already final (a redelivered result: the rows are rewritten, nothing new) */
    @Transactional
    public boolean finished(TrainResult result) {
        return runs.finished(result);
    }
}
