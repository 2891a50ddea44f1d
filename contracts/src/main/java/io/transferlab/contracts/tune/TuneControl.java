package io.transferlab.contracts.tune;

import io.transferlab.contracts.train.ControlAction;
import java.time.Instant;

/** Topic {@code vision.tune.control}, key = studyId: cancel a study (queued trials never start). */
public record TuneControl(
        int schemaVersion,
        String studyId,
        ControlAction action,
        String reason,
        Instant requestedAt) {
}
