package io.transferlab.contracts.train;

import io.transferlab.contracts.Requester;
import java.time.Instant;

/**
 * Topic {@code vision.train.control}, key = runId. Every trainer replica reads every control message (each in
 * its own consumer group) and acts when it holds or has queued that run; the run stops between batches.
 *
 * @param requester the name of the gateway API key that asked (a trial cancelled with its study: the study's
 *        owner, the tuner acting for it). The trainer cancels an owned run only when this requester may act on it
 *        ({@link Requester#mayActOn}). Null in controls from before owners were recorded (schema version 1): such
 *        a control cancels only runs without an owner. Trusted as sent: only the gateway and the tuner may write
 *        this topic (Kafka ACLs, docs/security.md)
 * @param requesterIsAdmin true when that key held the {@code admin} role, which may cancel any key's run; absent
 *        means false
 */
public record TrainControl(
        int schemaVersion,
        String runId,
        ControlAction action,
        String reason,
        Instant requestedAt,
        String requester,
        Boolean requesterIsAdmin) {

    /** A control without a sender: the shape of schema version 1. */
    public TrainControl(int schemaVersion, String runId, ControlAction action, String reason, Instant requestedAt) {
        this(schemaVersion, runId, action, reason, requestedAt, null, null);
    }

    /** Who asked, for the trainer's ownership check; {@link Requester#UNKNOWN} when the control names nobody. */
    public Requester requestedBy() {
        return Requester.fromMessage(requester, requesterIsAdmin);
    }
}
