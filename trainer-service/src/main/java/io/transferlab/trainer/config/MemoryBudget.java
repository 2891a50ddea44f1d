package io.transferlab.trainer.config;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The memory a training run may use when {@code transferlab.trainer.memory-budget} is not set: 85% of what the
 * machine gives this process (the container's cgroup limit, else the physical memory) less the JVM's maximum heap,
 * because tensors live outside the heap. With {@code concurrency} runs at once each gets its share.
 */
public final class MemoryBudget {

    private static final List<Path> CGROUP_LIMITS = List.of(
            Path.of("/sys/fs/cgroup/memory.max"), // cgroup v2
            Path.of("/sys/fs/cgroup/memory/memory.limit_in_bytes")); // cgroup v1

    private MemoryBudget() {
    }

    /** The budget of one run (bytes); never below 256 MiB. */
    public static long perRun(Optional<Long> configured, int concurrency) {
        if (configured.isPresent()) {
            return configured.get();
        }
        long available = Math.max(0, machineMemory() - Runtime.getRuntime().maxMemory());
        return Math.max(256L << 20, (long) (available * 0.85) / Math.max(1, concurrency));
    }

    /** The container's limit when there is one, else the physical memory. */
    static long machineMemory() {
        long physical = physicalMemory();
        for (Path file : CGROUP_LIMITS) {
            Optional<Long> limit = readLimit(file);
            if (limit.isPresent() && limit.get() > 0 && limit.get() < physical) {
                return limit.get();
            }
        }
        return physical;
    }

    private static long physicalMemory() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return Runtime.getRuntime().maxMemory() * 4;
    }

    static Optional<Long> readLimit(Path file) {
        try {
            String text = Files.readString(file).trim();
            return text.equals("max") ? Optional.empty() : Optional.of(Long.parseLong(text));
        } catch (IOException | NumberFormatException | SecurityException e) {
            return Optional.empty();
        }
    }
}
