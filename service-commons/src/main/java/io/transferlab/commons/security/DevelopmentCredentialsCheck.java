package io.transferlab.commons.security;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigUtils;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;

/**
 * Every service, in the prod profile, refuses to start with a publicly known credential: a default password for
 * PostgreSQL ({@code quarkus.datasource.password}) or in its Kafka login ({@code kafka.sasl.jaas.config}). The
 * gateway checks its API keys for the README's development key the same way (SecurityStartupCheck). Development
 * setups (dev mode, tests, the local stack, which runs the jars in the {@code local} profile) are not prod.
 */
@Singleton
public class DevelopmentCredentialsCheck {

    void check(@Observes StartupEvent start, Config config) {
        if (!ConfigUtils.getProfiles().contains("prod")) {
            return;
        }
        List<String> problems = problems(config.getOptionalValue("quarkus.datasource.password", String.class),
                config.getOptionalValue("kafka.sasl.jaas.config", String.class));
        if (!problems.isEmpty()) {
            throw new DevelopmentCredentialsException(String.join("; ", problems));
        }
    }

    /** What is wrong, one sentence per setting that holds a known default; empty when nothing is. */
    static List<String> problems(Optional<String> datasourcePassword, Optional<String> kafkaJaas) {
        List<String> problems = new ArrayList<>();
        if (datasourcePassword.filter(DevelopmentCredentials::isDefaultPassword).isPresent()) {
            problems.add("the PostgreSQL password is a publicly known default ('" + datasourcePassword.get()
                    + "'): set QUARKUS_DATASOURCE_PASSWORD (quarkus.datasource.password) to a secret of your own");
        }
        if (kafkaJaas.flatMap(DevelopmentCredentials::jaasPassword).filter(DevelopmentCredentials::isDefaultPassword)
                .isPresent()) {
            problems.add("the Kafka password is a publicly known default: set KAFKA_SASL_JAAS_CONFIG "
                    + "(kafka.sasl.jaas.config) to this service's own credentials");
        }
        return problems;
    }
}
