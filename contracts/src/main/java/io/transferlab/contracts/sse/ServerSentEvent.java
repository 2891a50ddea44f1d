package io.transferlab.contracts.sse;

/**
 * One event of a {@code text/event-stream} as the gateway streams runs and studies: its name (default
 * {@code message}), its id (the gateway's {@code <run>:<epoch>}, or null) and its data.
 */
public record ServerSentEvent(String event, String id, String data) {
}
