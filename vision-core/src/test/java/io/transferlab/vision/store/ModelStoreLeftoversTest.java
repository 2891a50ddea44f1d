package io.transferlab.vision.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelStoreLeftoversTest {

    @TempDir
    Path root;

    @Test
    void removesOnlyTemporaryVersionFoldersNobodyHasTouchedForLong() throws Exception {
        Path crashed = Files.createDirectories(root.resolve("pets").resolve(".tmp-v3-0b1c"));
        Files.write(crashed.resolve("weights.params"), new byte[16]);
        Files.setLastModifiedTime(crashed, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
        Path publishing = Files.createDirectories(root.resolve("pets").resolve(".tmp-v4-9f8e"));
        Path published = Files.createDirectories(root.resolve("pets").resolve("v2"));
        Files.setLastModifiedTime(published, FileTime.from(Instant.now().minus(Duration.ofHours(2))));

        assertThat(new ModelStore(root).removeLeftovers(Duration.ofHours(1))).isEqualTo(1);
        assertThat(crashed).doesNotExist();
        assertThat(publishing).isDirectory(); // another replica's publish in progress
        assertThat(published).isDirectory();
    }
}
