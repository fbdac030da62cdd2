#!/usr/bin/env bash
# A local Apache Kafka broker without Docker: one KRaft node (broker + controller) on 127.0.0.1:9092.
#   kafka.sh fetch   download kafka_2.13 and its runtime jars through Maven into .cache/kafka/<version>/libs
#   kafka.sh start   fetch if needed, format storage once, start the broker, wait for it, create the topics
#   kafka.sh stop    stop the broker this script started (SIGTERM, then SIGKILL after a deadline)
#   kafka.sh status  say whether a broker answers and whether we started it (exit 0 when it answers)
#   kafka.sh reset   stop, delete the broker's data (every topic the tests created), start again
# Environment: KAFKA_VERSION (default 3.9.2), KAFKA_BROKERS (use that cluster, start nothing),
# KAFKA_HEAP_OPTS (default -Xmx512m -Xms256m), KAFKA_START_TIMEOUT (seconds, default 90),
# KAFKA_PORT / KAFKA_CONTROLLER_PORT / KAFKA_STATE_DIR (defaults 9092, 9093, .cache/kafka) for a second broker.
set -euo pipefail
LOG_PREFIX=kafka
# shellcheck source=scripts/infra/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

KAFKA_VERSION=${KAFKA_VERSION:-3.9.2}
HOST=127.0.0.1
PORT=${KAFKA_PORT:-9092}
CONTROLLER_PORT=${KAFKA_CONTROLLER_PORT:-9093}
LIBS="$CONDUCT_CACHE/kafka/$KAFKA_VERSION/libs"
# Config, data, pid and log of one broker; another directory (and ports) runs a second one.
KAFKA_DIR=${KAFKA_STATE_DIR:-$CONDUCT_CACHE/kafka}
DATA="$KAFKA_DIR/$KAFKA_VERSION/data"
PROPS="$KAFKA_DIR/server.properties"
LOG4J="$KAFKA_DIR/log4j.properties"
PIDFILE="$KAFKA_DIR/kafka.pid"
LOGFILE="$KAFKA_DIR/kafka.log"
POM="$CONDUCT_ROOT/scripts/infra/kafka/pom.xml"
START_TIMEOUT=${KAFKA_START_TIMEOUT:-90}
STOP_TIMEOUT=30

fetch() {
  if [ -f "$LIBS/.complete" ]; then
    log "Kafka $KAFKA_VERSION already fetched ($LIBS)"
    return 0
  fi
  require_command java openjdk-17-jre-headless
  require_command mvn maven
  log "fetching Apache Kafka $KAFKA_VERSION and its runtime dependencies through Maven"
  rm -rf "$LIBS" && mkdir -p "$LIBS"
  # Maven's output goes to stderr (stdout of up.sh is only the variables), without colour codes.
  mvn -q -B -Dstyle.color=never -f "$POM" -Dkafka.version="$KAFKA_VERSION" \
    org.apache.maven.plugins:maven-dependency-plugin:3.6.1:copy-dependencies \
    -DoutputDirectory="$LIBS" -DincludeScope=runtime 2>&1 | sed -u 's/\x1b\[[0-9;]*m//g' >&2 \
    || die "Maven could not fetch org.apache.kafka:kafka_2.13:$KAFKA_VERSION (network? see the output above)"
  ls "$LIBS"/kafka_2.13-"$KAFKA_VERSION".jar >/dev/null 2>&1 || die "kafka_2.13-$KAFKA_VERSION.jar missing after fetch"
  touch "$LIBS/.complete"
  log "fetched $(find "$LIBS" -name '*.jar' | wc -l) jars into $LIBS"
}

write_config() {
  mkdir -p "$KAFKA_DIR" "$DATA"
  cat >"$PROPS" <<EOF
# Written by scripts/infra/kafka.sh: a single-node KRaft cluster for development and tests.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$HOST:$CONTROLLER_PORT
listeners=PLAINTEXT://$HOST:$PORT,CONTROLLER://$HOST:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$HOST:$PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$DATA
# One node: internal topics cannot be replicated; one offsets partition keeps group start fast.
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=1
# Consumers join at once instead of waiting 3 s for more members.
group.initial.rebalance.delay.ms=0
# Topics are created explicitly (scripts/infra/create-topics.ts, createTestTopics()).
auto.create.topics.enable=false
num.partitions=1
# Two cores: keep the thread pools small.
num.network.threads=2
num.io.threads=2
background.threads=2
num.recovery.threads.per.data.dir=1
log.retention.hours=24
EOF
  cat >"$LOG4J" <<'EOF'
# Written by scripts/infra/kafka.sh: everything to stdout, which kafka.sh sends to kafka.log.
log4j.rootLogger=INFO, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.request.logger=WARN
log4j.logger.state.change.logger=WARN
log4j.logger.org.apache.kafka.clients=WARN
EOF
}

# Formats the KRaft store once; meta.properties marks a formatted directory.
format_storage() {
  [ -f "$DATA/meta.properties" ] && return 0
  local cluster_id
  cluster_id=$(java -cp "$LIBS/*" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n 1)
  [ -n "$cluster_id" ] || die "kafka.tools.StorageTool random-uuid printed no cluster id"
  log "formatting KRaft storage in $DATA (cluster $cluster_id)"
  java -cp "$LIBS/*" -Dlog4j.configuration="file:$LOG4J" kafka.tools.StorageTool \
    format -t "$cluster_id" -c "$PROPS" --ignore-formatted >/dev/null \
    || die "formatting the Kafka storage failed"
}

create_topics() {
  (cd "$CONDUCT_ROOT" && KAFKA_BROKERS="$1" node -r @swc-node/register scripts/infra/create-topics.ts --wait-seconds "$2") >&2
}

show_log_tail() {
  if [ -f "$LOGFILE" ]; then
    printf '%s\n' "----- last lines of $LOGFILE -----" >&2
    tail -n 40 "$LOGFILE" >&2
    printf '%s\n' "-----" >&2
  fi
}

start() {
  if [ -n "${KAFKA_BROKERS:-}" ]; then
    log "KAFKA_BROKERS=$KAFKA_BROKERS is set: using that cluster, starting nothing"
    create_topics "$KAFKA_BROKERS" 30
    return 0
  fi
  if pid_alive "$PIDFILE" kafka.Kafka; then
    log "already running (pid $(cat "$PIDFILE")) on $HOST:$PORT"
    create_topics "$HOST:$PORT" "$START_TIMEOUT"
    return 0
  fi
  rm -f "$PIDFILE"
  if port_open "$HOST" "$PORT"; then
    log "something already listens on $HOST:$PORT (not started by this script): using it"
    create_topics "$HOST:$PORT" 30
    return 0
  fi

  fetch
  require_command java openjdk-17-jre-headless
  write_config
  format_storage

  local started_at
  started_at=$(now_ms)
  [ -f "$LOGFILE" ] && mv -f "$LOGFILE" "$LOGFILE.1"
  # setsid: the broker outlives this shell and a Ctrl-C in the terminal; `kafka.sh stop` ends it.
  # shellcheck disable=SC2086 # KAFKA_HEAP_OPTS holds several JVM flags
  setsid java ${KAFKA_HEAP_OPTS:--Xmx512m -Xms256m} -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true \
    -Dlog4j.configuration="file:$LOG4J" -cp "$LIBS/*" kafka.Kafka "$PROPS" \
    >"$LOGFILE" 2>&1 </dev/null &
  local pid=$!
  echo "$pid" >"$PIDFILE"
  log "starting broker (pid $pid, log $LOGFILE)"

  local deadline=$((started_at + START_TIMEOUT * 1000))
  until port_open "$HOST" "$PORT"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$PIDFILE"
      show_log_tail
      die "the broker exited during startup (see the log above)"
    fi
    if [ "$(now_ms)" -gt "$deadline" ]; then
      show_log_tail
      die "the broker did not open $HOST:$PORT within ${START_TIMEOUT}s (still running as pid $pid; 'kafka.sh stop' ends it)"
    fi
    sleep 0.2
  done
  local remaining=$(((deadline - $(now_ms)) / 1000))
  if ! create_topics "$HOST:$PORT" "$((remaining > 5 ? remaining : 5))"; then
    show_log_tail
    die "the broker listens on $HOST:$PORT but did not serve metadata / create topics"
  fi
  log "broker ready on $HOST:$PORT in $(($(now_ms) - started_at)) ms"
}

stop() {
  if ! pid_alive "$PIDFILE" kafka.Kafka; then
    rm -f "$PIDFILE"
    if port_open "$HOST" "$PORT"; then
      log "a broker on $HOST:$PORT was not started by this script: leaving it alone"
    else
      log "not running"
    fi
    return 0
  fi
  local pid
  pid=$(cat "$PIDFILE")
  log "stopping broker (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$(($(now_ms) + STOP_TIMEOUT * 1000))
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$(now_ms)" -gt "$deadline" ]; then
      log "still running after ${STOP_TIMEOUT}s: sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.2
  done
  rm -f "$PIDFILE"
  log "stopped"
}

status() {
  local ours=""
  pid_alive "$PIDFILE" kafka.Kafka && ours=" (started by kafka.sh, pid $(cat "$PIDFILE"))"
  if port_open "$HOST" "$PORT"; then
    echo "Kafka answers on $HOST:$PORT$ours"
    return 0
  fi
  if [ -n "$ours" ]; then echo "Kafka process is running$ours but $HOST:$PORT does not answer yet"; else echo "Kafka is not running"; fi
  return 3
}

case "${1:-}" in
  fetch) fetch ;;
  start) start ;;
  stop) stop ;;
  status) status ;;
  reset)
    stop
    log "deleting $DATA"
    rm -rf "$DATA"
    start
    ;;
  *)
    echo "usage: $0 fetch|start|stop|status|reset" >&2
    exit 2
    ;;
esac
