package io.transferlab.contracts.tune;

import io.transferlab.contracts.Requester;
import io.transferlab.contracts.train.ControlAction;
import java.time.Instant;

/**
 * Topic {@code vision.tune.control}, key = studyId: cancel a study (queued trials never start).
 *
 * @param requester the name of the gateway API key that asked. The tuner cancels an owned study only when this
 *        requester may act on it ({@link Requester#mayActOn}). Null in controls from before owners were recorded
 *        (schema version 1): such a control cancels only studies without an owner. Trusted as sent: only the
 *        gateway may write this topic (Kafka ACLs, docs/security.md)
 * @param requesterIsAdmin true when that key held the {@code admin} role, which may cancel any key's study;
 *        absent means false
 */
public record TuneControl(
        int schemaVersion,
        String studyId,
        ControlAction action,
        String reason,
        Instant requestedAt,
        String requester,
        Boolean requesterIsAdmin) {

    /** A control without a sender: the shape of schema version 1. */
    public TuneControl(int schemaVersion, String studyId, ControlAction action, String reason, Instant requestedAt) {
        this(schemaVersion, studyId, action, reason, requestedAt, null, null);
    }

    /** Who asked, for the tuner's ownership check; {@link Requester#UNKNOWN} when the control names nobody. */
    public Requester requestedBy() {
        return Requester.fromMessage(requester, requesterIsAdmin);
    }
}
