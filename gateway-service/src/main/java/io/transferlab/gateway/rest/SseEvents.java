package io.transferlab.gateway.rest;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.transferlab.gateway.service.RunEvent;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.time.Duration;
import java.util.function.Supplier;

/** Turns the hub's events into SSE frames: named events with JSON data, heartbeats as comments. */
final class SseEvents {

    private static final Duration KNOWN_WAIT = Duration.ofSeconds(15);

    private SseEvents() {
    }

    /**
     * The stream of a run or study once {@code known} says its id exists: an id nobody issued gets 404 at once
     * (before the stream's headers), not heartbeats that never end.
     */
    static Multi<OutboundSseEvent> ofKnown(Uni<Void> known, Supplier<Multi<RunEvent>> events, Sse sse) {
        known.await().atMost(KNOWN_WAIT);
        return frames(events.get(), sse);
    }

    static Multi<OutboundSseEvent> frames(Multi<RunEvent> events, Sse sse) {
        return events.map(e -> {
            if (e.heartbeat()) {
                return sse.newEventBuilder().comment("heartbeat").build();
            }
            OutboundSseEvent.Builder b = sse.newEventBuilder().name(e.name()).mediaType(MediaType.APPLICATION_JSON_TYPE)
                    .data(String.class, e.json());
            if (e.id() != null) {
                b.id(e.id());
            }
            return b.build();
        });
    }
}
