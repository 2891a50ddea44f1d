package io.transferlab.inference.rest.oip;

/** {@code GET /v2/health/live} answer. */
public record ServerLive(boolean live) {
}
