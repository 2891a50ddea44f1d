package io.transferlab.gateway.rest;

import io.smallrye.mutiny.Multi;
import io.transferlab.gateway.service.RunEvent;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

/** Turns the hub's events into SSE frames: named events with JSON data, heartbeats as comments. */
final class SseEvents {

    private SseEvents() {
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
