package io.transferlab.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the real data sets are: env {@code TRANSFERLAB_DATA_DIR}, else system property {@code transferlab.data.dir},
 * else {@code <repo>/data} (the repository from {@link RepoPaths#root()}), which {@code deploy/local/fetch-data}
 * fills. Missing data fails with the command that provides it: never a silent skip.
 */
public final class TestDataDir {

    public static final String ENV = "TRANSFERLAB_DATA_DIR";
    public static final String PROPERTY = "transferlab.data.dir";

    private TestDataDir() {
    }

    /** The data folder, whether or not it exists (see {@link #require}). */
    public static Path dir() {
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) {
            return Path.of(env).toAbsolutePath().normalize();
        }
        String property = System.getProperty(PROPERTY);
        if (property != null && !property.isBlank()) {
            return Path.of(property).toAbsolutePath().normalize();
        }
        return RepoPaths.root().resolve("data");
    }

    /** The data folder, after checking that each of {@code relative} (e.g. {@code mnist}) exists in it. */
    public static Path require(String... relative) {
        Path dir = dir();
        for (String r : relative.length == 0 ? new String[] {"."} : relative) {
            Path p = dir.resolve(r).normalize();
            if (!Files.exists(p)) {
                throw new IllegalStateException("real test data is missing: " + p + " does not exist. Run "
                        + "deploy/local/fetch-data (or set " + ENV + " to a folder that has "
                        + (relative.length == 0 ? "the data sets" : String.join(", ", relative)) + ")");
            }
        }
        return dir;
    }
}
