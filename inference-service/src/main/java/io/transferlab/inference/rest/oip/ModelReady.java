package io.transferlab.inference.rest.oip;

/** {@code GET /v2/models/{name}/ready} answer; {@code error} says why a known model cannot serve. */
public record ModelReady(String name, boolean ready, String error) {
}
