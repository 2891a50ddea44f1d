package io.transferlab.contracts.train;

/** Life of a run. QUEUED and RUNNING are recorded by observers; results carry only the final three. */
public enum RunStatus {
    QUEUED,
    RUNNING,
    SUCCEEDED,
    FAILED,
    CANCELLED;

    public boolean isFinal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
