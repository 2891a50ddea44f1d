package io.transferlab.inference.rest.oip;

/** {@code GET /v2/health/ready} answer. */
public record ServerReady(boolean ready) {
}
