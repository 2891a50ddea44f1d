package io.transferlab.commons.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiKeyTest {

    private static final String HASH = KeyHashing.sha256Hex("secret");
    private static final Set<String> ROLES = Set.of("classify", "train");

    @Test
    void parsesNameHashAndRoles() {
        ApiKey key = ApiKey.parse(" ops : " + HASH.toUpperCase() + " : classify+train ", ROLES);
        assertThat(key.name()).isEqualTo("ops");
        assertThat(key.sha256()).isEqualTo(HASH);
        assertThat(key.roles()).isEqualTo(Set.of("classify", "train"));
    }

    @Test
    void rejectsMalformedEntriesWithoutEchoingThem() {
        assertThatThrownBy(() -> ApiKey.parse("ops:secret:classify", ROLES)).hasMessageContaining("64 hex digits")
                .hasMessageNotContaining("secret:");
        assertThatThrownBy(() -> ApiKey.parse("ops:" + HASH + ":admin", ROLES))
                .hasMessageContaining("unknown role 'admin'");
        assertThatThrownBy(() -> ApiKey.parse("ops:" + HASH, ROLES)).hasMessageContaining("name:sha256-hex:role+role");
        assertThatThrownBy(() -> ApiKey.parse("o".repeat(129) + ":" + HASH + ":train", ROLES))
                .hasMessageContaining("at most 128 characters");
        assertThat(ApiKey.parse("o".repeat(128) + ":" + HASH + ":train", ROLES).name()).hasSize(128);
    }

    @Test
    void hashesAreSha256Hex() {
        assertThat(KeyHashing.sha256Hex("transferlab-dev-key"))
                .isEqualTo("703e70859cf2fb461b90a5f741f34ca8d81111b1886d1c81f63d1231101894b7");
        assertThat(KeyHashing.sameHash(HASH, KeyHashing.sha256Hex("secret"))).isTrue();
        assertThat(KeyHashing.sameHash(HASH, KeyHashing.sha256Hex("Secret"))).isFalse();
    }
}
