package io.transferlab.trainer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.transferlab.testsupport.TestDataDir;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The trainer's directories for tests: the real data sets (see {@link TestDataDir}; missing data fails with the
 * command that provides it, never a silent skip) and a fresh temporary model store, feature cache and (empty)
 * weights folder.
 */
public class TrainerTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String TRAINER_ID = "it-trainer";
    private static Path work;

    public static synchronized Path work() {
        if (work == null) {
            try {
                work = Files.createTempDirectory("trainer-it-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return work;
    }

    public static Path modelStore() {
        return work().resolve("models");
    }

    public static Path featureCache() {
        return work().resolve("features");
    }

    public static Path weights() {
        return work().resolve("weights");
    }

    public static Path dataDir() {
        return TestDataDir.require("mnist");
    }

    @Override
    public Map<String, String> start() {
        try {
            Files.createDirectories(weights());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of(
                "transferlab.trainer.data-dir", dataDir().toString(),
                "transferlab.trainer.model-store", modelStore().toString(),
                "transferlab.trainer.feature-cache", featureCache().toString(),
                "transferlab.trainer.weights-dir", weights().toString(),
                "transferlab.trainer.device", "cpu",
                "transferlab.trainer.id", TRAINER_ID);
    }

    @Override
    public void stop() {
        // the folder is left for inspection after a failure; it lives under java.io.tmpdir
    }
}
