package io.transferlab.inference.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class IntakeSlotsTest {

    @Test
    void handsOutFreeSlotsAtOnceAndTheNextOneWhenASlotIsReleased() {
        IntakeSlots slots = new IntakeSlots(2);
        assertThat(slots.acquire()).isDone();
        assertThat(slots.acquire()).isDone();

        CompletableFuture<Void> third = slots.acquire();
        CompletableFuture<Void> fourth = slots.acquire();
        assertThat(third).isNotDone();
        assertThat(fourth).isNotDone();

        slots.release();
        assertThat(third).isDone();
        assertThat(fourth).as("first come, first served").isNotDone();
        assertThat(slots.free()).isZero();

        slots.release();
        slots.release();
        slots.release();
        assertThat(fourth).isDone();
        assertThat(slots.free()).isEqualTo(2);
    }
}
