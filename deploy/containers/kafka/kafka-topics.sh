#!/bin/sh
# What apache/kafka's script of the same name runs; docker-compose.yml's kafka-topics step calls it to create the
# compacted vision.models.aliases topic.
exec java ${KAFKA_HEAP_OPTS:--Xmx128m} -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
  -Dlog4j2.configurationFile=/opt/kafka/config/log4j2.properties \
  -cp '/opt/kafka/libs/*' org.apache.kafka.tools.TopicCommand "$@"
