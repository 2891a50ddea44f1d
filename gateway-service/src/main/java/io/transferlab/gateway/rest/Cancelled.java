package io.transferlab.gateway.rest;

import io.transferlab.contracts.train.ControlAction;
import java.time.Instant;

/** Answer to a DELETE: the cancel request is on its way (the run or study stops shortly after). */
public record Cancelled(String id, ControlAction action, Instant requestedAt, String location) {
}
