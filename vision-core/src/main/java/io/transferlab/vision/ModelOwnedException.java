package io.transferlab.vision;

import io.transferlab.contracts.ErrorCode;
import io.transferlab.contracts.Requester;

/**
 * A run may not publish into a model id another API key owns (the owner of its latest version) unless it was
 * submitted by an admin key; nothing was published. The message does not name the owner (it ends up in the run's
 * recorded error, which every key can read).
 */
public class ModelOwnedException extends VisionException {

    private static final long serialVersionUID = 1L;

    public ModelOwnedException(String modelId) {
        super(Requester.modelOwnedByAnotherKey(modelId));
    }

    @Override
    public ErrorCode code() {
        return ErrorCode.MODEL_OWNED;
    }
}
