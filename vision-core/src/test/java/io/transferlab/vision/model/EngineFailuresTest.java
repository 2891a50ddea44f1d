package io.transferlab.vision.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.transferlab.contracts.ErrorCode;
import io.transferlab.vision.EngineOutOfMemoryException;
import io.transferlab.vision.InvalidImageException;
import io.transferlab.vision.VisionException;
import org.junit.jupiter.api.Test;

class EngineFailuresTest {

    @Test
    void aTensorTooLargeForTheMachineBecomesOutOfMemory() {
        Throwable engine;
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            // 2^42 floats = 16 TiB: libtorch's allocator refuses it
            engine = catchThrowable(() -> m.zeros(new Shape(1L << 42)));
        }
        assertThat(engine).isNotNull();
        RuntimeException named = EngineFailures.translate("allocating", engine);
        assertThat(named).isInstanceOf(EngineOutOfMemoryException.class)
                .hasMessageContaining("allocating");
        assertThat(((VisionException) named).code()).isEqualTo(ErrorCode.OUT_OF_MEMORY);
    }

    @Test
    void namedFailuresPassThroughAndOthersAreKept() {
        InvalidImageException invalid = new InvalidImageException("bad");
        assertThat(EngineFailures.translate("x", new RuntimeException(invalid))).isSameAs(invalid);
        IllegalStateException other = new IllegalStateException("shape mismatch");
        assertThat(EngineFailures.translate("x", other)).isSameAs(other);
    }
}
