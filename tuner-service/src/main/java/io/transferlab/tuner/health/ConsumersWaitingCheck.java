package io.transferlab.tuner.health;

import io.transferlab.tuner.persistence.DatabaseRetry;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * DOWN while consumers hold records they cannot write because PostgreSQL is unavailable: nothing is lost, but
 * nothing is being recorded either. (The datasource check says whether PostgreSQL answers; this one says whether
 * the tuner's consumers are stalled on it, and since when.)
 */
@Readiness
@ApplicationScoped
public class ConsumersWaitingCheck implements HealthCheck {

    private final DatabaseRetry retry;

    public ConsumersWaitingCheck(DatabaseRetry retry) {
        this.retry = retry;
    }

    @Override
    public HealthCheckResponse call() {
        int waiting = retry.waiting();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("Run recording").withData("consumersWaiting", waiting);
        if (waiting == 0) {
            return response.up().build();
        }
        var since = retry.waitingSince();
        String failure = retry.lastFailure();
        return response.down()
                .withData("waitingSince", since == null ? "" : since.toString())
                .withData("lastFailure", failure == null ? "" : failure)
                .build();
    }
}
