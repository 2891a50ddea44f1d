#!/bin/sh
# KAFKA_* variables -> /opt/kafka/config/server.properties (KAFKA_NODE_ID -> node.id), format the KRaft storage
# once (the log dir survives in its volume), then run the broker in the foreground.
set -eu
conf=/opt/kafka/config/server.properties
env | grep '^KAFKA_' | grep -v '^KAFKA_HEAP_OPTS=' | while IFS='=' read -r name value; do
  key="$(printf '%s' "${name#KAFKA_}" | tr 'A-Z_' 'a-z.')"
  printf '%s=%s\n' "$key" "$value"
done > "$conf"
grep -q '^log.dirs=' "$conf" || echo "log.dirs=/var/lib/kafka/data" >> "$conf"
logdir="$(sed -n 's/^log.dirs=//p' "$conf" | cut -d, -f1)"
run() { java ${KAFKA_HEAP_OPTS:--Xmx512m} -XX:+UseSerialGC -Dlog4j2.configurationFile=/opt/kafka/config/log4j2.properties \
  -cp '/opt/kafka/libs/*' "$@"; }
if [ ! -f "$logdir/meta.properties" ]; then
  # A random cluster id (16 bytes, base64url without padding: what StorageTool random-uuid prints, minus a JVM start).
  run kafka.tools.StorageTool format -t "${CLUSTER_ID:-$(head -c16 /dev/urandom | base64 | tr '+/' '-_' | cut -c1-22)}" -c "$conf"
fi
exec java ${KAFKA_HEAP_OPTS:--Xmx512m} -XX:+UseSerialGC -Dlog4j2.configurationFile=/opt/kafka/config/log4j2.properties \
  -cp '/opt/kafka/libs/*' kafka.Kafka "$conf"
