package io.transferlab.gateway.service;

import io.transferlab.contracts.Requester;

/**
 * A training would publish into a model id another API key owns, and the caller is no admin (409). The trainer
 * refuses the same at publish time (MODEL_OWNED); answering here saves the caller a run that can only fail.
 */
public class ModelOfAnotherKeyException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ModelOfAnotherKeyException(String modelId) {
        super(Requester.modelOwnedByAnotherKey(modelId));
    }
}
