package io.transferlab.contracts.query;

public enum StudyStatus {
    /** Trials are queued or running. */
    RUNNING,
    /** Every trial ended (some may have failed). */
    COMPLETED,
    /** Cancelled: queued trials were never started, running ones were cancelled. */
    CANCELLED,
    /** The tune request parsed but broke the contract; no trial was planned ({@code error} says why). */
    REJECTED,
    /**
     * Accepted by the gateway and on its way to the tuner, not yet recorded there: only the gateway answers it,
     * for a study it queued moments ago (so that the Location it handed out can be read at once).
     */
    QUEUED;

    /** True once the study will dispatch nothing more. */
    public boolean isFinal() {
        return this != RUNNING && this != QUEUED;
    }
}
