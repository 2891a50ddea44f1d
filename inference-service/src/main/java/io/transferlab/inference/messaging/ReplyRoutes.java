package io.transferlab.inference.messaging;

import io.smallrye.reactive.messaging.kafka.reply.KafkaRequestReply;
import io.transferlab.contracts.MessageHeaders;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Reads reply routes from request headers. The header names and encodings are SmallRye's
 * ({@link KafkaRequestReply}): {@code REPLY_CORRELATION_ID} opaque bytes, {@code REPLY_TOPIC} the topic name as
 * UTF-8, {@code REPLY_PARTITION} a 4-byte big-endian int ({@link KafkaRequestReply#replyPartitionToBytes}).
 */
public final class ReplyRoutes {

    public static final String CORRELATION_ID = KafkaRequestReply.DEFAULT_REPLY_CORRELATION_ID_HEADER;
    public static final String TOPIC = KafkaRequestReply.DEFAULT_REPLY_TOPIC_HEADER;
    public static final String PARTITION = KafkaRequestReply.DEFAULT_REPLY_PARTITION_HEADER;

    private final String defaultTopic;
    private final Pattern allowedTopics;

    public ReplyRoutes(String defaultTopic, Pattern allowedTopics) {
        this.defaultTopic = defaultTopic;
        this.allowedTopics = allowedTopics;
    }

    /**
     * The route the headers ask for.
     *
     * @throws InvalidReplyRouteException when the topic is not allowed or the partition is not a 4-byte int
     */
    public ReplyRoute route(Headers headers) {
        String topic = defaultTopic;
        Header topicHeader = headers.lastHeader(TOPIC);
        if (topicHeader != null && topicHeader.value() != null) {
            topic = new String(topicHeader.value(), StandardCharsets.UTF_8);
            if (!allowedTopics.matcher(topic).matches()) {
                throw new InvalidReplyRouteException(TOPIC + " '" + topic + "' is not a topic this service replies "
                        + "to (allowed: " + allowedTopics.pattern() + ")");
            }
        }
        Integer partition = null;
        Header partitionHeader = headers.lastHeader(PARTITION);
        if (partitionHeader != null) {
            byte[] value = partitionHeader.value();
            if (value == null || value.length != Integer.BYTES) {
                throw new InvalidReplyRouteException(PARTITION + " must be a 4-byte big-endian int, not "
                        + (value == null ? "empty" : value.length + " bytes"));
            }
            partition = KafkaRequestReply.replyPartitionFromBytes(value);
            if (partition < 0) {
                throw new InvalidReplyRouteException(PARTITION + " must not be negative, not " + partition);
            }
        }
        return new ReplyRoute(topic, partition, correlationId(headers), traceId(headers));
    }

    /** The route for a request whose reply headers are unusable: the results topic, keeping the correlation id. */
    public ReplyRoute fallback(Headers headers) {
        return new ReplyRoute(defaultTopic, null, correlationId(headers), traceId(headers));
    }

    private static byte[] correlationId(Headers headers) {
        Header h = headers.lastHeader(CORRELATION_ID);
        return h == null ? null : h.value();
    }

    private static String traceId(Headers headers) {
        Header h = headers.lastHeader(MessageHeaders.CORRELATION_ID);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
