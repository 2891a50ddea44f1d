package io.transferlab.inference.health;

import io.transferlab.inference.service.ModelAliases;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once this replica has read the model aliases that {@code vision.models.aliases} held when it started: before
 * that, unpinned requests cannot tell which version their model's {@code production} alias names. Not a liveness
 * check: the state comes from the broker, and a restart would not read it sooner.
 */
@Readiness
@ApplicationScoped
public class ModelAliasesCheck implements HealthCheck {

    private final ModelAliases aliases;

    public ModelAliasesCheck(ModelAliases aliases) {
        this.aliases = aliases;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("Model aliases").status(aliases.caughtUp())
                .withData("topic", "vision.models.aliases").build();
    }
}
