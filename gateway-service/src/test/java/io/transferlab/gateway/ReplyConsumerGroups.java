package io.transferlab.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupListing;

/** What the broker knows about the gateways' reply readers: nothing, since they read by assignment. */
final class ReplyConsumerGroups {

    private ReplyConsumerGroups() {
    }

    /** Every consumer group the broker knows, by id. */
    static List<String> all(String bootstrapServers) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            return admin.listConsumerGroups().all().get().stream().map(ConsumerGroupListing::groupId).toList();
        }
    }

    /**
     * No group reads classification replies or results on behalf of a gateway: the groups of the old design
     * ({@code gateway-replies-<uuid>}, {@code gateway-results-<uuid>}, one more per start) are gone.
     */
    static void assertNone(String bootstrapServers) throws Exception {
        assertThat(all(bootstrapServers)).as("consumer groups of gateway reply readers")
                .noneMatch(g -> g.startsWith("gateway-replies-") || g.startsWith("gateway-results-")
                        && !g.startsWith("gateway-results-train-"));
    }
}
