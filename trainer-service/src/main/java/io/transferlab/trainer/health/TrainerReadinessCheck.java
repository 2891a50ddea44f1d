package io.transferlab.trainer.health;

import io.transferlab.trainer.config.TrainerConfig;
import io.transferlab.trainer.service.TrainerIdentity;
import io.transferlab.trainer.service.TrainingService;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready while the trainer takes runs; says which replica it is, where it trains and how busy it is. */
@Readiness
@ApplicationScoped
public class TrainerReadinessCheck implements HealthCheck {

    private final TrainingService training;
    private final TrainerIdentity identity;
    private final TrainerConfig config;

    public TrainerReadinessCheck(TrainingService training, TrainerIdentity identity, TrainerConfig config) {
        this.training = training;
        this.identity = identity;
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("Trainer")
                .status(!training.isStopping())
                .withData("trainer", identity.trainerId())
                .withData("device", identity.device())
                .withData("runsInProgress", training.activeRuns())
                .withData("concurrency", config.concurrency())
                .build();
    }
}
