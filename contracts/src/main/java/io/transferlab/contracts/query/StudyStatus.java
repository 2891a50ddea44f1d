package io.transferlab.contracts.query;

public enum StudyStatus {
    /** Trials are queued or running. */
    RUNNING,
    /** Every trial ended (some may have failed). */
    COMPLETED,
    /** Cancelled: queued trials were never started, running ones were cancelled. */
    CANCELLED,
    /** The tune request parsed but broke the contract; no trial was planned ({@code error} says why). */
    REJECTED;

    /** True once the study will dispatch nothing more. */
    public boolean isFinal() {
        return this != RUNNING;
    }
}
