package io.transferlab.gateway.service;

/**
 * One Server-Sent Event for a training or tuning stream.
 *
 * @param name {@code snapshot} (the state known when the stream opened), {@code progress} (a TrainProgress),
 *        {@code result} (a TrainResult), {@code complete} (the stream ends), or null for a heartbeat comment
 * @param id the SSE id: {@code <runId>:<epoch>} for progress, {@code <runId>:result} for results
 * @param json the event's data
 */
public record RunEvent(String name, String id, String json) {

    public static final RunEvent HEARTBEAT = new RunEvent(null, null, null);

    public boolean heartbeat() {
        return name == null;
    }
}
