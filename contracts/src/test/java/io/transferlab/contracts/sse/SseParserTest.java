package io.transferlab.contracts.sse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseParserTest {

    private static List<ServerSentEvent> parse(String stream) {
        SseParser parser = new SseParser();
        List<ServerSentEvent> events = new ArrayList<>();
        for (String line : stream.split("\n", -1)) {
            ServerSentEvent e = parser.accept(line);
            if (e != null) {
                events.add(e);
            }
        }
        return events;
    }

    @Test
    void readsNamedEventsSkipsCommentsAndJoinsDataLines() {
        List<ServerSentEvent> events = parse(": heartbeat\n\nevent: progress\nid: r:1\ndata: {\"a\":1}\n\n"
                + "data: first\ndata:second\n\nevent: complete\ndata: {}\n\n");
        assertThat(events).containsExactly(new ServerSentEvent("progress", "r:1", "{\"a\":1}"),
                new ServerSentEvent("message", null, "first\nsecond"), new ServerSentEvent("complete", null, "{}"));
    }

    @Test
    void anEventWithoutDataIsDroppedAndForgetsItsNameAndId() {
        List<ServerSentEvent> events = parse("event: ping\nid: x\n\ndata: after\n\n");
        assertThat(events).containsExactly(new ServerSentEvent("message", null, "after"));
    }
}
