package io.transferlab.inference.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smallrye.reactive.messaging.kafka.reply.KafkaRequestReply;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class ReplyRoutesTest {

    private final ReplyRoutes routes = new ReplyRoutes("vision.classify.results",
            Pattern.compile("vision\\.classify\\.results(\\..+)?|.+-replies"));

    @Test
    void aRequestWithoutReplyHeadersIsAnsweredOnTheResultsTopicByKey() {
        ReplyRoute route = routes.route(new RecordHeaders());
        assertThat(route.topic()).isEqualTo("vision.classify.results");
        assertThat(route.partition()).isNull();
        assertThat(route.correlationId()).isNull();
    }

    @Test
    void followsTheHeadersSmallRyesRequesterWrites() {
        byte[] correlation = UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8);
        RecordHeaders headers = new RecordHeaders();
        headers.add("REPLY_CORRELATION_ID", correlation);
        headers.add("REPLY_TOPIC", "gateway-7-replies".getBytes(StandardCharsets.UTF_8));
        headers.add("REPLY_PARTITION", KafkaRequestReply.replyPartitionToBytes(3));
        headers.add("x-correlation-id", "trace-1".getBytes(StandardCharsets.UTF_8));

        ReplyRoute route = routes.route(headers);

        assertThat(route.topic()).isEqualTo("gateway-7-replies");
        assertThat(route.partition()).isEqualTo(3);
        assertThat(route.correlationId()).isEqualTo(correlation);
        assertThat(route.traceId()).isEqualTo("trace-1");
    }

    @Test
    void thePartitionIsAFourByteBigEndianInt() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("REPLY_PARTITION", new byte[] {0, 0, 1, 2});
        assertThat(routes.route(headers).partition()).isEqualTo(258);
    }

    @Test
    void refusesAPartitionThatIsNotFourBytes() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("REPLY_PARTITION", "3".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> routes.route(headers)).isInstanceOf(InvalidReplyRouteException.class)
                .hasMessageContaining("4-byte");
    }

    @Test
    void refusesToReplyIntoTopicsOutsideTheAllowedOnes() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("REPLY_CORRELATION_ID", new byte[] {1, 2, 3});
        headers.add("REPLY_TOPIC", "vision.models".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> routes.route(headers)).isInstanceOf(InvalidReplyRouteException.class)
                .hasMessageContaining("vision.models");
        ReplyRoute fallback = routes.fallback(headers);
        assertThat(fallback.topic()).isEqualTo("vision.classify.results");
        assertThat(fallback.correlationId()).containsExactly(1, 2, 3);
    }
}
