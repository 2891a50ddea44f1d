package io.transferlab.vision;

import ai.djl.engine.Engine;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one engine we run on. */
public final class Engines {

    public static final String PYTORCH = "PyTorch";

    private static final Logger LOG = LoggerFactory.getLogger(Engines.class);
    private static final AtomicBoolean CHECKED = new AtomicBoolean();

    private Engines() {
    }

    /**
     * Loads libtorch if it is not loaded yet. Call it before any direct JNI call (grad mode, backward): those do
     * not load the native library themselves. The first call warns when the native allocator is not set up for
     * training ({@link NativeAllocator}).
     */
    public static Engine pytorch() {
        if (CHECKED.compareAndSet(false, true)) {
            NativeAllocator.advice(System.getenv(), System.getProperty("os.name", "")).ifPresent(LOG::warn);
        }
        return Engine.getEngine(PYTORCH);
    }
}
