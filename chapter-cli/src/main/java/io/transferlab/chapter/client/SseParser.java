package io.transferlab.chapter.client;

/** Turns {@code text/event-stream} lines into events (a blank line ends one; comment lines are skipped). */
final class SseParser {

    private String event;
    private StringBuilder data;

    /** Feeds one line; returns the event it completes, or null. */
    ServerSentEvent accept(String line) {
        if (line.isEmpty()) {
            if (data == null) {
                event = null;
                return null;
            }
            ServerSentEvent done = new ServerSentEvent(event == null ? "message" : event, data.toString());
            event = null;
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
        if ("event".equals(field)) {
            event = value;
        } else if ("data".equals(field)) {
            data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
        }
        return null;
    }
}
