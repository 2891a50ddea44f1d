package io.transferlab.vision;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What a service's configuration says about the settings every vision-core user shares: the trainer's and the
 * inference service's {@code @ConfigMapping} interfaces extend it (each with its own defaults and documentation),
 * and {@link VisionSettings.Builder#from} reads it.
 */
public interface VisionServiceConfig {

    Path dataDir();

    /** Default {@code <data-dir>/weights}. */
    Optional<Path> weightsDir();

    Path modelStore();

    int maxImageSide();

    /** {@code auto}, {@code cpu} or {@code gpu} ({@link DeviceMode#parse}). */
    String device();
}
