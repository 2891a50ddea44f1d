package io.transferlab.vision.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.transferlab.contracts.ErrorCode;
import io.transferlab.contracts.train.RunSpec;
import io.transferlab.vision.Classifier;
import io.transferlab.vision.TestData;
import io.transferlab.vision.VisionSettings;
import io.transferlab.vision.train.TransferTrainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store serves a model only with the weights that were published: a changed byte or an appended one (what a
 * writer on the shared volume could do) makes loading fail with a named error that says what differs.
 */
class WeightsChecksumIT {

    @TempDir
    Path work;

    @Test
    void refusesWeightsThatDifferFromThePublishedChecksum() throws Exception {
        VisionSettings settings = TestData.settings(work);
        TransferTrainer.create(settings).train("sha-run", "sha-model", RunSpec.builder().dataset("mnist")
                .trainSize(64).testSize(32).imageSize(28).backbone("small-cnn").weights("random").denseUnits(8)
                .epochs(1).batchSize(32).seed(5L).build(), null, null);
        ModelStore store = new ModelStore(settings.modelStoreDir());
        ModelCard card = store.latest("sha-model").orElseThrow();
        Path weights = store.location(card).resolve(card.weightsFile());
        byte[] published = Files.readAllBytes(weights);

        try (Classifier classifier = store.openClassifier("sha-model")) {
            assertThat(classifier.version()).isEqualTo(card.version());
        }

        byte[] changed = published.clone();
        changed[changed.length - 1] ^= 0x01; // one bit of the last parameter: still a loadable file
        Files.write(weights, changed);
        assertThatThrownBy(() -> store.openClassifier("sha-model"))
                .isInstanceOf(WeightsChecksumException.class)
                .hasMessageContaining("do not match its card")
                .hasMessageContaining(card.weightsSha256())
                .satisfies(e -> assertThat(((WeightsChecksumException) e).code()).isEqualTo(ErrorCode.MISSING_WEIGHTS));

        Files.write(weights, published);
        Files.write(weights, new byte[] {0}, StandardOpenOption.APPEND); // bytes after what the loader reads
        assertThatThrownBy(() -> store.openClassifier("sha-model")).isInstanceOf(WeightsChecksumException.class);

        Files.write(weights, published);
        try (Classifier classifier = store.openClassifier("sha-model")) {
            assertThat(classifier.modelId()).isEqualTo("sha-model");
        }
    }
}
