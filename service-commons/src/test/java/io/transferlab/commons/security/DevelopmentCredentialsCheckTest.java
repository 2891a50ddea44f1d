package io.transferlab.commons.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class DevelopmentCredentialsCheckTest {

    private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required "
            + "username=\"tuner\" password=\"%s\";";

    @Test
    void namesTheSettingOfEveryDefaultPassword() {
        assertThat(DevelopmentCredentialsCheck.problems(Optional.of("transferlab"),
                Optional.of(JAAS.formatted("change-me"))))
                .hasSize(2)
                .anySatisfy(p -> assertThat(p).contains("QUARKUS_DATASOURCE_PASSWORD").contains("'transferlab'"))
                .anySatisfy(p -> assertThat(p).contains("KAFKA_SASL_JAAS_CONFIG").doesNotContain("change-me"));
    }

    @Test
    void acceptsOwnSecretsAndAbsentSettings() {
        assertThat(DevelopmentCredentialsCheck.problems(Optional.of("s3cr3t-of-ours"),
                Optional.of(JAAS.formatted("9f8e7d")))).isEmpty();
        assertThat(DevelopmentCredentialsCheck.problems(Optional.empty(), Optional.empty())).isEmpty();
    }

    @Test
    void recognisesTheDevelopmentKeyByItsHash() {
        assertThat(DevelopmentCredentials.developmentKeyHash())
                .isEqualTo("703e70859cf2fb461b90a5f741f34ca8d81111b1886d1c81f63d1231101894b7");
        assertThat(DevelopmentCredentials.isDevelopmentKeyHash(
                "703E70859CF2FB461B90A5F741F34CA8D81111B1886D1C81F63D1231101894B7")).isTrue();
        assertThat(DevelopmentCredentials.isDevelopmentKeyHash("00".repeat(32))).isFalse();
    }
}
