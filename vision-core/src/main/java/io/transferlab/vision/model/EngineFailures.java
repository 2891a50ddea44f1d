package io.transferlab.vision.model;

import io.transferlab.vision.EngineOutOfMemoryException;
import io.transferlab.vision.VisionException;
import java.util.Locale;

/** Gives engine failures their names: out-of-memory errors become {@link EngineOutOfMemoryException}. */
public final class EngineFailures {

    private EngineFailures() {
    }

    /** True for libtorch's allocation failures (CPU and CUDA) and the JVM's own. */
    public static boolean isOutOfMemory(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof OutOfMemoryError) {
                return true;
            }
            String m = c.getMessage();
            if (m != null) {
                String lower = m.toLowerCase(Locale.ROOT);
                if (lower.contains("out of memory") || lower.contains("can't allocate memory")
                        || lower.contains("cannot allocate memory") || lower.contains("bad_alloc")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The named exception for {@code t}, or a RuntimeException wrapping it with {@code what} was being done. */
    public static RuntimeException translate(String what, Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof VisionException v) {
                return v;
            }
        }
        if (isOutOfMemory(t)) {
            return new EngineOutOfMemoryException(what + ": the engine ran out of memory (" + t.getMessage()
                    + "); use smaller batches or images", t);
        }
        return t instanceof RuntimeException r ? r : new IllegalStateException(what + " failed: " + t.getMessage(), t);
    }
}
