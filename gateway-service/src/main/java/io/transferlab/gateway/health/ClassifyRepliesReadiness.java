package io.transferlab.gateway.health;

import io.transferlab.gateway.messaging.ClassifyReplies;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Not ready until this replica reads the end of every reply partition (a classification sent before could lose its
 * reply), nor while the broker does not answer. Classifications are refused with 503 in exactly these states.
 */
@Readiness
@ApplicationScoped
public class ClassifyRepliesReadiness implements HealthCheck {

    private final ClassifyReplies replies;

    public ClassifyRepliesReadiness(ClassifyReplies replies) {
        this.replies = replies;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("classification replies")
                .status(replies.positioned() && replies.brokerReachable())
                .withData("topic", replies.topic())
                .withData("positioned", replies.positioned())
                .withData("broker", replies.brokerReachable())
                .withData("waiting", replies.waitingCount())
                .build();
    }
}
