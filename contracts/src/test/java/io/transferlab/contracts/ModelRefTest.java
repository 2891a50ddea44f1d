package io.transferlab.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.transferlab.contracts.model.ModelRef;
import io.transferlab.contracts.validation.ValidationException;
import io.transferlab.contracts.validation.Violation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code model=digits@3}: how every service reads a model reference. */
class ModelRefTest {

    @Test
    void aPlainIdIsUnpinned() {
        ModelRef ref = ModelRef.parse("digits", "model");
        assertThat(ref).isEqualTo(ModelRef.unpinned("digits"));
        assertThat(ref.pinned()).isFalse();
        assertThat(ref.version()).isNull();
        assertThat(ref).hasToString("digits");
    }

    @Test
    void anIdAtAPositiveIntegerPinsThatVersion() {
        assertThat(ModelRef.parse("digits@3", "model")).isEqualTo(new ModelRef("digits", 3));
        assertThat(ModelRef.parse("imagenet-resnet50@1", "model").version()).isEqualTo(1);
        assertThat(ModelRef.parse("run-20261128-090714-38adfe5f@12", "model").modelId())
                .isEqualTo("run-20261128-090714-38adfe5f");
        assertThat(ModelRef.parse("digits@999999999", "model").version()).isEqualTo(999_999_999);
        assertThat(ModelRef.parse("digits@3", "model")).hasToString("digits@3");
    }

    @ParameterizedTest
    @ValueSource(strings = {"digits@", "digits@0", "digits@x", "digits@-1", "digits@+1", "digits@03", "digits@1.0",
            "digits@1@2", "digits@ 1", "digits@9999999999", "digits@1 "})
    void aPinThatIsNoPositiveIntegerIsRefusedNamingTheField(String text) {
        assertThatThrownBy(() -> ModelRef.parse(text, "model"))
                .isInstanceOfSatisfying(ValidationException.class, e -> {
                    assertThat(e.violations()).hasSize(1);
                    Violation v = e.violations().get(0);
                    assertThat(v.path()).isEqualTo("model");
                    assertThat(v.message()).contains("after '@' comes a version, a positive integer");
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {"@3", "dig its", "-digits", "digits/3", "digits#3"})
    void anInvalidIdIsRefused(String text) {
        assertThatThrownBy(() -> ModelRef.parse(text, "model"))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.violations().get(0).message())
                        .startsWith("must start with a model id"));
    }

    @Test
    void nothingAtAllIsRequired() {
        assertThatThrownBy(() -> ModelRef.parse("", "model")).isInstanceOf(ValidationException.class)
                .hasMessage("model is required: a model id, optionally pinned to a version (digits@3)");
        assertThatThrownBy(() -> ModelRef.parse(null, "model")).isInstanceOf(ValidationException.class);
    }

    @Test
    void whatACallerSentIsEchoedShortAndPrintable() {
        assertThatThrownBy(() -> ModelRef.parse("digits@\u0000" + "9".repeat(40), "model"))
                .hasMessageContaining("pins version '?9999999999999999999...'");
    }

    @Test
    void aVersionOnItsOwnFollowsThePinsRule() {
        assertThat(ModelRef.parseVersion("12", "version")).isEqualTo(12);
        for (String bad : new String[] {"0", "x", "", "01", "-1", "1.5"}) {
            assertThatThrownBy(() -> ModelRef.parseVersion(bad, "version"))
                    .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.violations().get(0).path())
                            .isEqualTo("version"));
        }
    }
}
