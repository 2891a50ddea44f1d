package io.transferlab.chapter.client;

/** One event of a {@code text/event-stream}: its name (default {@code message}) and data. */
public record ServerSentEvent(String event, String data) {
}
