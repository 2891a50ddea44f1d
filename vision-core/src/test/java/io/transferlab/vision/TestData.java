package io.transferlab.vision;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the real data sets are: {@code TRANSFERLAB_DATA_DIR}, system property {@code transferlab.data.dir}, or
 * {@code <repo>/data}. Missing data fails the test with the command that provides it: never a silent skip.
 */
public final class TestData {

    private TestData() {
    }

    public static Path dir() {
        String env = System.getenv(VisionSettings.ENV_DATA_DIR);
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        String prop = System.getProperty("transferlab.data.dir");
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop);
        }
        String root = System.getProperty("transferlab.repo.root");
        return (root != null ? Path.of(root) : Path.of("..").toAbsolutePath().normalize()).resolve("data");
    }

    /** The data directory, after checking that {@code relative} exists in it. */
    public static Path require(String relative) {
        Path dir = dir();
        Path p = dir.resolve(relative);
        if (!Files.exists(p)) {
            fail("real test data is missing: " + p.toAbsolutePath() + " does not exist. Run deploy/local/fetch-data "
                    + "(or set TRANSFERLAB_DATA_DIR to a folder that has mnist/, fashion-mnist/ and samples/)");
        }
        return dir;
    }

    /** Settings over the real data with a private store and cache under {@code work}. */
    public static VisionSettings settings(Path work) {
        return VisionSettings.builder()
                .dataDir(require("mnist"))
                .weightsDir(work.resolve("weights"))
                .modelStoreDir(work.resolve("models"))
                .featureCacheDir(work.resolve("features"))
                .deviceMode(DeviceMode.CPU)
                .build();
    }
}
