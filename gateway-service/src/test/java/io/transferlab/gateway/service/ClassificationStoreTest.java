package io.transferlab.gateway.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.transferlab.contracts.SchemaVersion;
import io.transferlab.contracts.classify.ClassifyResult;
import io.transferlab.contracts.classify.ClassifyStatus;
import io.transferlab.contracts.image.ImageFormat;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClassificationStoreTest {

    private static ClassifyResult ok(String id, Instant at) {
        return new ClassifyResult(SchemaVersion.CURRENT, id, ClassifyStatus.OK, "m", 1, List.of(), null, 1, null, at);
    }

    @Test
    void keepsAtMostItsCapacityDroppingTheOldest() {
        Instant now = Instant.parse("2026-11-28T10:00:00Z");
        ClassificationStore store = new ClassificationStore(3, Duration.ofHours(1), Clock.fixed(now, ZoneOffset.UTC));
        for (int i = 0; i < 5; i++) {
            store.result(ok("req-" + i, now));
        }
        assertThat(store.size()).isEqualTo(3);
        assertThat(store.get("req-0")).isEmpty();
        assertThat(store.get("req-4")).isPresent();
    }

    @Test
    void forgetsResultsOlderThanTheRetention() {
        Instant now = Instant.parse("2026-11-28T10:00:00Z");
        ClassificationStore store = new ClassificationStore(10, Duration.ofMinutes(15), Clock.fixed(now, ZoneOffset.UTC));
        store.result(ok("req-old", now.minus(Duration.ofMinutes(16))));
        store.result(ok("req-new", now.minus(Duration.ofMinutes(1))));
        assertThat(store.get("req-old")).isEmpty();
        assertThat(store.get("req-new")).isPresent();
    }

    @Test
    void aPendingRequestBecomesCompletedAndALateDuplicateChangesNothing() {
        ClassificationStore store = new ClassificationStore(10, Duration.ofHours(1), Clock.systemUTC());
        store.pending(Classification.pending("req-1", "m", null, 5,
                new ImageInfo(ImageFormat.PNG, 10, 20), Instant.now()));
        assertThat(store.get("req-1").orElseThrow().status()).isEqualTo(ClassificationStatus.PENDING);
        store.result(ok("req-1", Instant.now()));
        Classification done = store.get("req-1").orElseThrow();
        assertThat(done.status()).isEqualTo(ClassificationStatus.COMPLETED);
        assertThat(done.width()).as("what this replica read from the header stays").isEqualTo(10);
        store.failed("req-1", ClassificationStatus.TIMED_OUT, null);
        assertThat(store.get("req-1").orElseThrow().status()).isEqualTo(ClassificationStatus.COMPLETED);
    }
}
