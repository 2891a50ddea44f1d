package io.transferlab.gateway.service;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DatasetImporterTest {

    @Test
    void rejectsEveryKindOfZipSlipName() {
        for (String name : new String[] {"../x.png", "a/../../x.png", "/etc/passwd", "C:/x.png", "a\\..\\x.png",
                "a/..", "a\0b"}) {
            assertThatThrownBy(() -> DatasetImporter.checkSafe(name)).as(name)
                    .isInstanceOf(InvalidDatasetException.class).hasMessageContaining("zip-slip");
        }
    }

    @Test
    void acceptsOrdinaryNames() {
        for (String name : new String[] {"cat/1.png", "pets/cat/1.png", "cat/", "a..b/c..d.png"}) {
            assertThatCode(() -> DatasetImporter.checkSafe(name)).as(name).doesNotThrowAnyException();
        }
    }
}
