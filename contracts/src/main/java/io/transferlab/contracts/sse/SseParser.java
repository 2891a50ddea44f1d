package io.transferlab.contracts.sse;

/**
 * Turns {@code text/event-stream} lines into events, as a browser does: a blank line ends an event, comment lines
 * ({@code :...}) are skipped, several {@code data} lines join with newlines, one space after the colon is dropped.
 * Not thread-safe: one parser per stream.
 */
public final class SseParser {

    private String event;
    private String id;
    private StringBuilder data;

    /** Feeds one line; returns the event it completes, or null. */
    public ServerSentEvent accept(String line) {
        if (line.isEmpty()) {
            if (data == null) {
                event = null;
                id = null;
                return null;
            }
            ServerSentEvent done = new ServerSentEvent(event == null ? "message" : event, id, data.toString());
            event = null;
            id = null;
            data = null;
            return done;
        }
        if (line.startsWith(":")) {
            return null;
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "event" -> event = value;
            case "id" -> id = value;
            case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
            default -> {
                // retry and unknown fields carry nothing a reader of our streams needs
            }
        }
        return null;
    }
}
