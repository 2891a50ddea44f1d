package io.transferlab.vision;

import ai.djl.engine.Engine;

/** The one engine we run on. */
public final class Engines {

    public static final String PYTORCH = "PyTorch";

    private Engines() {
    }

    /**
     * Loads libtorch if it is not loaded yet. Call it before any direct JNI call (grad mode, backward): those do
     * not load the native library themselves.
     */
    public static Engine pytorch() {
        return Engine.getEngine(PYTORCH);
    }
}
