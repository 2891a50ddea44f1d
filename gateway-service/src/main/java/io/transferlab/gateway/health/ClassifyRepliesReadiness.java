package io.transferlab.gateway.health;

import io.transferlab.gateway.messaging.ClassifyRequestor;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready until this replica reads the reply topic: a classification sent before that could lose its reply. */
@Readiness
@ApplicationScoped
public class ClassifyRepliesReadiness implements HealthCheck {

    private final ClassifyRequestor requestor;

    public ClassifyRepliesReadiness(ClassifyRequestor requestor) {
        this.requestor = requestor;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("classification replies").status(requestor.ready()).build();
    }
}
