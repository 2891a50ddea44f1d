package io.transferlab.vision;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Whether glibc's allocator is set up for libtorch's tensors, and what to set when it is not.
 *
 * <p>Why: libtorch allocates every tensor with {@code malloc}. With glibc's defaults the megabytes a training step
 * frees are given back to the kernel, so the next step faults them in afresh: blocks above the (adaptive) mmap
 * threshold are unmapped, the heap's top is trimmed, and, for threads other than the process's first (every JVM
 * thread), a per-thread heap of 64 MiB that empties is unmapped whole. On the 2-core VMs we measure on a page fault
 * costs about 7-10 us, and a batch-16 ResNet-18 step at 32 px took 160-340 ms instead of 66-95 ms in 5 of 8 JVMs
 * (1.1-3.5 M minor faults instead of 0.2 M; bench/protocol/steps, docs/platform-notes.md). A fixed mmap
 * threshold of 32 MiB, a trim threshold of 256 MiB and a top pad of 64 MiB keep freed tensors in the process for
 * the next step (13 of 13 JVMs without a storm): memory is held up to the run's peak rather than returned after
 * each step. glibc reads the settings when a process starts, so they are environment variables
 * ({@link #SETTINGS}), set by our launchers, images and test runs.
 */
public final class NativeAllocator {

    /** The environment a JVM that trains or serves models should start with. */
    public static final Map<String, String> SETTINGS = Map.of(
            "MALLOC_MMAP_THRESHOLD_", String.valueOf(32L << 20),
            "MALLOC_TRIM_THRESHOLD_", String.valueOf(256L << 20),
            "MALLOC_TOP_PAD_", String.valueOf(64L << 20));

    private NativeAllocator() {
    }

    /**
     * Empty when the allocator is set (every variable of {@link #SETTINGS}, or glibc's tunables of the same names)
     * or when the process is not on Linux; otherwise what to set.
     */
    public static Optional<String> advice(Map<String, String> environment, String osName) {
        if (!osName.toLowerCase(Locale.ROOT).contains("linux")) {
            return Optional.empty();
        }
        String tunables = environment.getOrDefault("GLIBC_TUNABLES", "");
        boolean set = SETTINGS.keySet().stream().allMatch(environment::containsKey)
                || Stream.of("mmap_threshold", "trim_threshold", "top_pad")
                        .allMatch(t -> tunables.contains("glibc.malloc." + t + "="));
        if (set) {
            return Optional.empty();
        }
        String fix = SETTINGS.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
        return Optional.of("glibc's allocator has its default thresholds: libtorch's tensors may be faulted in afresh "
                + "on every training step (steps several times slower on small machines). Start the JVM with " + fix
                + " in its environment (docs/platform-notes.md, \"Native memory allocator\").");
    }
}
