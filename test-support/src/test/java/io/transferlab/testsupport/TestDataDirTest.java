package io.transferlab.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TestDataDirTest {

    @Test
    void missingDataFailsWithTheCommandThatFetchesIt() {
        assertThatThrownBy(() -> TestDataDir.require("no-such-data-set"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(TestDataDir.dir().resolve("no-such-data-set").toString())
                .hasMessageContaining("deploy/local/fetch-data")
                .hasMessageContaining("TRANSFERLAB_DATA_DIR");
    }

    @Test
    void theFolderIsAbsolute() {
        assertThat(TestDataDir.dir()).isAbsolute();
    }
}
