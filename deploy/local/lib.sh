# Shared settings and helpers of the deploy/local scripts. Every value can be overridden from the environment.
# shellcheck shell=bash

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
RUN_DIR="${RUN_DIR:-$REPO_ROOT/.run}"
TRANSFERLAB_DATA_DIR="${TRANSFERLAB_DATA_DIR:-$REPO_ROOT/data}"
. "$REPO_ROOT/deploy/local/native-allocator.sh"

KAFKA_HOST="${KAFKA_HOST:-localhost}"
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
KAFKA_PARTITIONS="${KAFKA_PARTITIONS:-4}"
KAFKA_HEAP="${KAFKA_HEAP:--Xms256m -Xmx512m}"
KAFKA_BROKER_LIBS="${KAFKA_BROKER_LIBS:-$REPO_ROOT/infra/kafka-broker/target/libs}"
# SCRAM-SHA-512 users and ACLs on the local broker (deploy/local/kafka); the passwords live in KAFKA_CREDENTIALS.
KAFKA_SCRAM="${KAFKA_SCRAM:-true}"
KAFKA_CREDENTIALS="${KAFKA_CREDENTIALS:-$RUN_DIR/kafka/credentials}"

PG_HOST="${PG_HOST:-localhost}"
PG_PORT="${PG_PORT:-5432}"
PG_DATABASE="${PG_DATABASE:-transferlab}"
PG_USER="${PG_USER:-transferlab}"
PG_PASSWORD="${PG_PASSWORD:-transferlab}"

GATEWAY_PORT="${GATEWAY_PORT:-8080}"
TRAINER_PORT="${TRAINER_PORT:-8081}"
INFERENCE_PORT="${INFERENCE_PORT:-8082}"
TUNER_PORT="${TUNER_PORT:-8083}"
# Quarkus' management interface of each service: health (/q/health/...) and metrics (/q/metrics), which the API
# ports no longer serve. The services' own defaults; all four run on this host, so each needs a port of its own.
GATEWAY_MANAGEMENT_PORT="${GATEWAY_MANAGEMENT_PORT:-9080}"
TRAINER_MANAGEMENT_PORT="${TRAINER_MANAGEMENT_PORT:-9081}"
INFERENCE_MANAGEMENT_PORT="${INFERENCE_MANAGEMENT_PORT:-9082}"
TUNER_MANAGEMENT_PORT="${TUNER_MANAGEMENT_PORT:-9083}"

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# port_open HOST PORT: true when something accepts connections there.
port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

# pid_alive FILE: true when FILE names a running process.
pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# stop_pid NAME FILE: ends only the process recorded in FILE (TERM, then KILL after 30 s).
stop_pid() {
  local name="$1" file="$2" pid
  if ! pid_alive "$file"; then rm -f "$file"; log "$name: not running"; return 0; fi
  pid="$(cat "$file")"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then log "$name: still running after 30 s, killing $pid"; kill -KILL "$pid" 2>/dev/null || true; fi
  rm -f "$file"
  log "$name: stopped (pid $pid)"
}

# wait_port NAME HOST PORT SECONDS PIDFILE: waits for the port while the process lives.
wait_port() {
  local name="$1" host="$2" port="$3" secs="$4" pidfile="$5"
  for _ in $(seq 1 $((secs * 10))); do
    port_open "$host" "$port" && return 0
    pid_alive "$pidfile" || die "$name exited during start-up; see its log in $RUN_DIR"
    sleep 0.1
  done
  die "$name did not open port $port within $secs s; see its log in $RUN_DIR"
}

# kafka_password USER: the local broker's password of USER (admin or a service)
kafka_password() {
  local line
  line="$(grep "^$1=" "$KAFKA_CREDENTIALS" 2>/dev/null)" || die "kafka: no credentials for $1 in $KAFKA_CREDENTIALS"
  echo "${line#*=}"
}

# kafka_jaas_config USER: the JAAS line a client authenticates with as USER
kafka_jaas_config() {
  echo "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"$1\" password=\"$(kafka_password "$1")\";"
}

# kafka_client_env SERVICE: the environment that makes SERVICE authenticate as its own Kafka user
kafka_client_env() {
  if [ "$KAFKA_SCRAM" = true ]; then
    echo "KAFKA_SECURITY_PROTOCOL=SASL_PLAINTEXT"
    echo "KAFKA_SASL_MECHANISM=SCRAM-SHA-512"
    echo "KAFKA_SASL_JAAS_CONFIG=$(kafka_jaas_config "$1")"
  fi
}

mvnw() { (cd "$REPO_ROOT" && ./mvnw -B -ntp "$@"); }

TRANSFERLAB_MODEL_STORE="${TRANSFERLAB_MODEL_STORE:-$RUN_DIR/models}"
TRANSFERLAB_FEATURE_CACHE="${TRANSFERLAB_FEATURE_CACHE:-$RUN_DIR/feature-cache}"
TRANSFERLAB_WEIGHTS_DIR="${TRANSFERLAB_WEIGHTS_DIR:-$TRANSFERLAB_DATA_DIR/weights}"
SERVICES=(tuner trainer inference gateway)

service_port() {
  case "$1" in
    gateway) echo "$GATEWAY_PORT" ;; trainer) echo "$TRAINER_PORT" ;;
    inference) echo "$INFERENCE_PORT" ;; tuner) echo "$TUNER_PORT" ;; *) die "unknown service $1" ;;
  esac
}

service_management_port() {
  case "$1" in
    gateway) echo "$GATEWAY_MANAGEMENT_PORT" ;; trainer) echo "$TRAINER_MANAGEMENT_PORT" ;;
    inference) echo "$INFERENCE_MANAGEMENT_PORT" ;; tuner) echo "$TUNER_MANAGEMENT_PORT" ;;
    *) die "unknown service $1" ;;
  esac
}

# readiness_url NAME: where a service's readiness answers (its management interface)
readiness_url() { echo "http://localhost:$(service_management_port "$1")/q/health/ready"; }

# http_status URL: prints the HTTP status code (000 when nothing answers).
http_status() { curl -s -o /dev/null -m 5 -w '%{http_code}' "$1" 2>/dev/null || true; }
