package io.transferlab.gateway.rest;

import io.transferlab.contracts.train.RunSpec;

/**
 * Body of {@code POST /api/v1/trainings}.
 *
 * @param spec the run's flags; absent ones take their defaults
 * @param modelId publish the trained model under this id (a new version when it exists); default: the run id
 */
public record NewTraining(RunSpec spec, String modelId) {
}
