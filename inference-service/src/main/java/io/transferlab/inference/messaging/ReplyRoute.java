package io.transferlab.inference.messaging;

/**
 * Where the result of one request goes, read from the request's headers (SmallRye Reactive Messaging's Kafka
 * request-reply conventions).
 *
 * @param topic {@code REPLY_TOPIC}, or the results topic when the request names none
 * @param partition {@code REPLY_PARTITION} (a 4-byte big-endian int), or null to partition by key
 * @param correlationId {@code REPLY_CORRELATION_ID}, copied byte for byte onto the result, or null
 * @param traceId the {@code x-correlation-id} header that follows a user's request through every service, or null
 */
public record ReplyRoute(String topic, Integer partition, byte[] correlationId, String traceId) {
}
