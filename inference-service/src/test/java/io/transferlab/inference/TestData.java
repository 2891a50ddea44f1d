package io.transferlab.inference;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real data sets: {@code TRANSFERLAB_DATA_DIR}, else {@code <repo>/data} (system property
 * {@code transferlab.repo.root}, which the build sets). Missing data fails with the command that provides it.
 */
final class TestData {

    private TestData() {
    }

    static Path dir() {
        String env = System.getenv("TRANSFERLAB_DATA_DIR");
        Path dir;
        if (env != null && !env.isBlank()) {
            dir = Path.of(env);
        } else {
            String root = System.getProperty("transferlab.repo.root");
            dir = (root != null ? Path.of(root) : Path.of("..").toAbsolutePath().normalize()).resolve("data");
        }
        if (!Files.isDirectory(dir.resolve("mnist"))) {
            fail("real test data is missing: no " + dir.resolve("mnist").toAbsolutePath() + ". Run "
                    + "deploy/local/fetch-data (or set TRANSFERLAB_DATA_DIR to a folder that has mnist/)");
        }
        return dir;
    }
}
