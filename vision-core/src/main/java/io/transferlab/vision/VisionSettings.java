package io.transferlab.vision;

import io.transferlab.vision.fetch.FetchSettings;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Where the engine finds data, weights, models and its feature cache, and its limits. Services build it from
 * their own configuration with {@link #builder()}; {@link #fromEnvironment()} reads the {@code TRANSFERLAB_*}
 * variables for tools and tests.
 *
 * @param dataDir data sets: {@code mnist/}, {@code fashion-mnist/}, {@code cifar10/}, {@code uploads/<id>/}
 * @param weightsDir pretrained TorchScript files ({@code resnet50-imagenet.pt}, ...) and {@code torchscript:} backbones
 * @param modelStoreDir the model store: {@code <modelId>/v<version>/}
 * @param featureCacheDir frozen-backbone features shared by trials
 * @param featureCacheMaxBytes the cache evicts least recently used entries beyond this size
 * @param maxImageSide images wider or taller than this are rejected before they are decoded
 * @param deviceMode {@code auto}, {@code cpu} or {@code gpu}
 * @param fetch where ImageNet checkpoints and CIFAR-10 are downloaded from on first use, or that they are not
 *        ({@code TRANSFERLAB_OFFLINE}, {@code TRANSFERLAB_MIRROR_URL}, ...)
 */
public record VisionSettings(
        Path dataDir,
        Path weightsDir,
        Path modelStoreDir,
        Path featureCacheDir,
        long featureCacheMaxBytes,
        int maxImageSide,
        DeviceMode deviceMode,
        FetchSettings fetch) {

    public static final String ENV_DATA_DIR = "TRANSFERLAB_DATA_DIR";
    public static final String ENV_WEIGHTS_DIR = "TRANSFERLAB_WEIGHTS_DIR";
    public static final String ENV_MODEL_STORE = "TRANSFERLAB_MODEL_STORE";
    public static final String ENV_FEATURE_CACHE = "TRANSFERLAB_FEATURE_CACHE";
    public static final String ENV_FEATURE_CACHE_MAX_BYTES = "TRANSFERLAB_FEATURE_CACHE_MAX_BYTES";
    public static final String ENV_MAX_IMAGE_SIDE = "TRANSFERLAB_MAX_IMAGE_SIDE";
    public static final String ENV_DEVICE = "TRANSFERLAB_DEVICE";

    public static final long DEFAULT_FEATURE_CACHE_MAX_BYTES = 4L * 1024 * 1024 * 1024;
    public static final int DEFAULT_MAX_IMAGE_SIDE = 8192;

    public VisionSettings {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(weightsDir, "weightsDir");
        Objects.requireNonNull(modelStoreDir, "modelStoreDir");
        Objects.requireNonNull(featureCacheDir, "featureCacheDir");
        Objects.requireNonNull(deviceMode, "deviceMode");
        Objects.requireNonNull(fetch, "fetch");
        if (featureCacheMaxBytes < 0) {
            throw new IllegalArgumentException("featureCacheMaxBytes must be >= 0 (0 turns the cache off)");
        }
        if (maxImageSide < 1) {
            throw new IllegalArgumentException("maxImageSide must be >= 1");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder()
                .dataDir(dataDir)
                .weightsDir(weightsDir)
                .modelStoreDir(modelStoreDir)
                .featureCacheDir(featureCacheDir)
                .featureCacheMaxBytes(featureCacheMaxBytes)
                .maxImageSide(maxImageSide)
                .deviceMode(deviceMode)
                .fetch(fetch);
    }

    /** Reads the {@code TRANSFERLAB_*} environment variables; unset ones take the builder's defaults. */
    public static VisionSettings fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /** As {@link #fromEnvironment()}, from the given variables (for tests and tools). */
    public static VisionSettings fromEnvironment(Map<String, String> env) {
        Function<String, String> get = name -> {
            String v = env.get(name);
            return v == null || v.isBlank() ? null : v.trim();
        };
        Builder b = builder().fetch(FetchSettings.fromEnvironment(env));
        if (get.apply(ENV_DATA_DIR) != null) {
            b.dataDir(Path.of(get.apply(ENV_DATA_DIR)));
        }
        if (get.apply(ENV_WEIGHTS_DIR) != null) {
            b.weightsDir(Path.of(get.apply(ENV_WEIGHTS_DIR)));
        }
        if (get.apply(ENV_MODEL_STORE) != null) {
            b.modelStoreDir(Path.of(get.apply(ENV_MODEL_STORE)));
        }
        if (get.apply(ENV_FEATURE_CACHE) != null) {
            b.featureCacheDir(Path.of(get.apply(ENV_FEATURE_CACHE)));
        }
        if (get.apply(ENV_FEATURE_CACHE_MAX_BYTES) != null) {
            b.featureCacheMaxBytes(parseLong(ENV_FEATURE_CACHE_MAX_BYTES, get.apply(ENV_FEATURE_CACHE_MAX_BYTES)));
        }
        if (get.apply(ENV_MAX_IMAGE_SIDE) != null) {
            b.maxImageSide((int) parseLong(ENV_MAX_IMAGE_SIDE, get.apply(ENV_MAX_IMAGE_SIDE)));
        }
        if (get.apply(ENV_DEVICE) != null) {
            b.deviceMode(DeviceMode.parse(get.apply(ENV_DEVICE)));
        }
        return b.build();
    }

    private static long parseLong(String name, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + "=" + value + " is not a whole number", e);
        }
    }

    /**
     * Defaults: {@code data}, {@code <dataDir>/weights}, {@code models}, {@code <java.io.tmpdir>/transferlab-features},
     * 4 GiB of cache, 8192 px a side, device {@code auto},
     * downloads as the {@code TRANSFERLAB_OFFLINE} / {@code _MIRROR_URL} / ... variables say. Relative paths are relative to the working directory.
     */
    public static final class Builder {
        private Path dataDir;
        private Path weightsDir;
        private Path modelStoreDir;
        private Path featureCacheDir;
        private long featureCacheMaxBytes = DEFAULT_FEATURE_CACHE_MAX_BYTES;
        private int maxImageSide = DEFAULT_MAX_IMAGE_SIDE;
        private DeviceMode deviceMode = DeviceMode.AUTO;
        private FetchSettings fetch;

        private Builder() {
        }

        public Builder dataDir(Path v) { dataDir = v; return this; }
        public Builder weightsDir(Path v) { weightsDir = v; return this; }
        public Builder modelStoreDir(Path v) { modelStoreDir = v; return this; }
        public Builder featureCacheDir(Path v) { featureCacheDir = v; return this; }
        public Builder featureCacheMaxBytes(long v) { featureCacheMaxBytes = v; return this; }
        public Builder maxImageSide(int v) { maxImageSide = v; return this; }
        public Builder deviceMode(DeviceMode v) { deviceMode = v; return this; }
        public Builder fetch(FetchSettings v) { fetch = v; return this; }

        /** The data, weights and model-store directories, the image bound and the device a service configures. */
        public Builder from(VisionServiceConfig config) {
            dataDir = config.dataDir();
            weightsDir = config.weightsDir().orElse(null);
            modelStoreDir = config.modelStore();
            maxImageSide = config.maxImageSide();
            deviceMode = DeviceMode.parse(config.device());
            return this;
        }

        public VisionSettings build() {
            Path data = dataDir != null ? dataDir : Path.of("data");
            return new VisionSettings(
                    data,
                    weightsDir != null ? weightsDir : data.resolve("weights"),
                    modelStoreDir != null ? modelStoreDir : Path.of("models"),
                    featureCacheDir != null ? featureCacheDir
                            : Path.of(System.getProperty("java.io.tmpdir"), "transferlab-features"),
                    featureCacheMaxBytes,
                    maxImageSide,
                    deviceMode,
                    fetch != null ? fetch : FetchSettings.fromEnvironment());
        }
    }
}
