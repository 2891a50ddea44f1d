package io.transferlab.gateway.service;

import io.transferlab.contracts.ErrorInfo;
import io.transferlab.contracts.classify.ClassifyResult;
import io.transferlab.gateway.config.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Recent classifications of this replica, by request id: its own pending ones and every result seen on
 * {@code vision.classify.results} (so a poll that lands on another replica finds the result too). Bounded in
 * count and age: the oldest entries go first. Results are small (top-k labels), never images.
 */
@ApplicationScoped
public class ClassificationStore {

    private final int capacity;
    private final Duration retention;
    private final Clock clock;
    private final LinkedHashMap<String, Classification> entries = new LinkedHashMap<>();

    @jakarta.inject.Inject
    public ClassificationStore(GatewayConfig config) {
        this(config.classify().resultCapacity(), config.classify().resultRetention(), Clock.systemUTC());
    }

    ClassificationStore(int capacity, Duration retention, Clock clock) {
        this.capacity = capacity;
        this.retention = retention;
        this.clock = clock;
    }

    public synchronized void pending(Classification c) {
        put(c);
    }

    /** A reply for a request of this replica, or a result seen on the results topic. */
    public synchronized void result(ClassifyResult result) {
        Classification known = entries.get(result.requestId());
        if (known != null && known.status() != ClassificationStatus.PENDING
                && known.status() != ClassificationStatus.TIMED_OUT) {
            return; // the same result seen twice (own reply and the broadcast): keep the first
        }
        put(known == null ? Classification.fromResult(result) : known.withResult(result));
    }

    public synchronized void failed(String requestId, ClassificationStatus status, ErrorInfo why) {
        Classification known = entries.get(requestId);
        if (known != null && known.status() == ClassificationStatus.PENDING) {
            put(known.withFailure(status, why));
        }
    }

    public synchronized Optional<Classification> get(String requestId) {
        evictExpired();
        return Optional.ofNullable(entries.get(requestId));
    }

    public synchronized int size() {
        return entries.size();
    }

    private void put(Classification c) {
        entries.remove(c.requestId());
        entries.put(c.requestId(), c); // re-inserted: most recently touched is last
        evictExpired();
        while (entries.size() > capacity) {
            Iterator<Map.Entry<String, Classification>> it = entries.entrySet().iterator();
            it.next();
            it.remove();
        }
    }

    private void evictExpired() {
        Instant cutoff = clock.instant().minus(retention);
        Iterator<Map.Entry<String, Classification>> it = entries.entrySet().iterator();
        while (it.hasNext()) {
            Classification c = it.next().getValue();
            Instant touched = c.completedAt() != null ? c.completedAt() : c.submittedAt();
            if (touched == null || !touched.isBefore(cutoff)) {
                break; // insertion order is touch order: the rest are newer
            }
            it.remove();
        }
    }
}
