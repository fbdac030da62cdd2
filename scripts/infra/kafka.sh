#!/usr/bin/env bash
# A local Apache Kafka without Docker: KRaft nodes (each broker + controller) on 127.0.0.1.
#   kafka.sh fetch   download kafka_2.13 and its runtime jars through Maven into .cache/kafka/<version>/libs
#   kafka.sh start   fetch if needed, format storage once, start every node not running, wait, create the topics
#   kafka.sh stop    stop the nodes this script started (SIGTERM, then SIGKILL after a deadline)
#   kafka.sh status  say whether the brokers answer and whether we started them (exit 0 when all answer)
#   kafka.sh reset   stop, delete the data (every topic the tests created), start again
# Environment: KAFKA_VERSION (default 3.9.2), KAFKA_BROKERS (use that cluster, start nothing),
# KAFKA_HEAP_OPTS (default -Xmx512m -Xms256m), KAFKA_START_TIMEOUT (seconds, default 90),
# KAFKA_PORT / KAFKA_CONTROLLER_PORT / KAFKA_STATE_DIR (defaults 9092, 9093, .cache/kafka) for a second broker,
# KAFKA_NODES (default 1): 3 runs a three-node cluster. Node i listens on KAFKA_PORT + 2(i-1) and its
# controller on KAFKA_CONTROLLER_PORT + 2(i-1) (9092/9094/9096 by default); topics then get replication
# factor 3 and min.insync.replicas=2, so with acks=all a write survives the loss of any one broker.
# KAFKA_SCRAM_USERS ("admin:pw,violation-service:pw2,..."): clients must log in with SASL/SCRAM-SHA-512
# as one of these users, and the StandardAuthorizer allows only what ACLs grant (npm run kafka:acls);
# the first user is the brokers' own and a super user. Set at the first start: the credentials are
# written into the storage when it is formatted.
# `start` on a cluster with a node down (killed, stopped) starts just that node again.
set -euo pipefail
LOG_PREFIX=kafka
# shellcheck source=scripts/infra/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

KAFKA_VERSION=${KAFKA_VERSION:-3.9.2}
HOST=127.0.0.1
BASE_PORT=${KAFKA_PORT:-9092}
BASE_CONTROLLER_PORT=${KAFKA_CONTROLLER_PORT:-9093}
NODES=${KAFKA_NODES:-1}
[[ "$NODES" =~ ^[1-9]$ ]] || die "KAFKA_NODES must be a number of nodes from 1 to 9, got '$NODES'"
LIBS="$CONDUCT_CACHE/kafka/$KAFKA_VERSION/libs"
# Config, data, pid and log of the nodes; another directory (and ports) runs a second Kafka.
KAFKA_DIR=${KAFKA_STATE_DIR:-$CONDUCT_CACHE/kafka}
POM="$CONDUCT_ROOT/scripts/infra/kafka/pom.xml"
START_TIMEOUT=${KAFKA_START_TIMEOUT:-90}
STOP_TIMEOUT=30
# Replication: as many copies as nodes, up to 3; a write needs two of them when there are three.
REPLICATION=$((NODES < 3 ? NODES : 3))
SCRAM_USERS=${KAFKA_SCRAM_USERS:-}
SCRAM_ADMIN=${SCRAM_USERS%%,*}
MIN_INSYNC=$((REPLICATION < 2 ? 1 : 2))

node_port() { echo $((BASE_PORT + 2 * ($1 - 1))); }
controller_port() { echo $((BASE_CONTROLLER_PORT + 2 * ($1 - 1))); }
# One node keeps the layout of earlier versions (files directly in KAFKA_DIR); a cluster has node-<i>/.
node_dir() { if [ "$NODES" = 1 ]; then echo "$KAFKA_DIR"; else echo "$KAFKA_DIR/node-$1"; fi; }
node_data() { echo "$(node_dir "$1")/$KAFKA_VERSION/data"; }
node_pidfile() { echo "$(node_dir "$1")/kafka.pid"; }
node_logfile() { echo "$(node_dir "$1")/kafka.log"; }
brokers() {
  local i list=""
  for i in $(seq 1 "$NODES"); do list="${list:+$list,}$HOST:$(node_port "$i")"; done
  echo "$list"
}
voters() {
  local i list=""
  for i in $(seq 1 "$NODES"); do list="${list:+$list,}$i@$HOST:$(controller_port "$i")"; done
  echo "$list"
}

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
  local node=$1 dir
  dir=$(node_dir "$node")
  mkdir -p "$dir" "$(node_data "$node")"
  local listener=PLAINTEXT
  [ -z "$SCRAM_USERS" ] || listener=SASL_PLAINTEXT
  cat >"$dir/server.properties" <<EOF
# Written by scripts/infra/kafka.sh: node $node of a $NODES-node KRaft cluster for development and tests.
process.roles=broker,controller
node.id=$node
controller.quorum.voters=$(voters)
listeners=$listener://$HOST:$(node_port "$node"),CONTROLLER://$HOST:$(controller_port "$node")
advertised.listeners=$listener://$HOST:$(node_port "$node")
controller.listener.names=CONTROLLER
inter.broker.listener.name=$listener
listener.security.protocol.map=CONTROLLER:PLAINTEXT,$listener:$listener
log.dirs=$(node_data "$node")
# Internal topics replicated like the others; one offsets partition keeps group start fast.
offsets.topic.replication.factor=$REPLICATION
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=$REPLICATION
transaction.state.log.min.isr=$MIN_INSYNC
transaction.state.log.num.partitions=1
default.replication.factor=$REPLICATION
min.insync.replicas=$MIN_INSYNC
# Consumers join at once instead of waiting 3 s for more members.
group.initial.rebalance.delay.ms=0
# A broker killed with kill -9 keeps leading its partitions until the controller fences it, for lack
# of heartbeats, after broker.session.timeout.ms: 4 s instead of 9 s (heartbeats every second).
broker.heartbeat.interval.ms=1000
broker.session.timeout.ms=4000
# Topics are created explicitly (scripts/infra/create-topics.ts, createTestTopics()).
auto.create.topics.enable=false
num.partitions=1
# Two cores: keep the thread pools small.
num.network.threads=2
num.io.threads=2
background.threads=2
num.recovery.threads.per.data.dir=1
num.replica.fetchers=1
log.retention.hours=24
EOF
  if [ -n "$SCRAM_USERS" ]; then
    cat >>"$dir/server.properties" <<EOF
# SASL/SCRAM for clients and between brokers; ACLs decide what each user may do. The controller
# listener stays plaintext on 127.0.0.1 (its anonymous principal is the nodes' own, hence super).
sasl.enabled.mechanisms=SCRAM-SHA-512
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="${SCRAM_ADMIN%%:*}" password="${SCRAM_ADMIN#*:}";
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
super.users=User:${SCRAM_ADMIN%%:*};User:ANONYMOUS
allow.everyone.if.no.acl.found=false
EOF
  fi
  cat >"$dir/log4j.properties" <<'EOF'
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

# The id every node of the cluster is formatted with (kept beside the nodes, made once).
cluster_id() {
  local file="$KAFKA_DIR/cluster-id"
  if [ ! -s "$file" ]; then
    mkdir -p "$KAFKA_DIR"
    java -cp "$LIBS/*" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n 1 >"$file"
    [ -s "$file" ] || die "kafka.tools.StorageTool random-uuid printed no cluster id"
  fi
  cat "$file"
}

# Formats a node's KRaft store once; meta.properties marks a formatted directory.
format_storage() {
  local node=$1 dir id
  dir=$(node_dir "$node")
  [ -f "$(node_data "$node")/meta.properties" ] && return 0
  id=$(cluster_id)
  log "formatting KRaft storage of node $node in $(node_data "$node") (cluster $id)"
  local scram=() user users=()
  [ -z "$SCRAM_USERS" ] || IFS=',' read -r -a users <<<"$SCRAM_USERS"
  for user in "${users[@]}"; do scram+=(--add-scram "SCRAM-SHA-512=[name=${user%%:*},password=${user#*:}]"); done
  java -cp "$LIBS/*" -Dlog4j.configuration="file:$dir/log4j.properties" kafka.tools.StorageTool \
    format -t "$id" -c "$dir/server.properties" --ignore-formatted "${scram[@]}" >/dev/null \
    || die "formatting the Kafka storage of node $node failed"
}

create_topics() {
  local admin=()
  [ -z "$SCRAM_USERS" ] || admin=(KAFKA_SASL_MECHANISM=scram-sha-512 "KAFKA_SASL_USERNAME=${SCRAM_ADMIN%%:*}" "KAFKA_SASL_PASSWORD=${SCRAM_ADMIN#*:}")
  (cd "$CONDUCT_ROOT" && env "${admin[@]}" KAFKA_BROKERS="$1" KAFKA_REPLICATION_FACTOR="$3" KAFKA_MIN_INSYNC_REPLICAS="$4" \
    node -r @swc-node/register scripts/infra/create-topics.ts --wait-seconds "$2") >&2
}

show_log_tail() {
  local logfile
  logfile=$(node_logfile "$1")
  if [ -f "$logfile" ]; then
    printf '%s\n' "----- last lines of $logfile -----" >&2
    tail -n 40 "$logfile" >&2
    printf '%s\n' "-----" >&2
  fi
}

# Starts one node in the background; prints its pid.
launch_node() {
  local node=$1 dir logfile
  dir=$(node_dir "$node")
  logfile=$(node_logfile "$node")
  write_config "$node"
  format_storage "$node"
  [ -f "$logfile" ] && mv -f "$logfile" "$logfile.1"
  # setsid: the broker outlives this shell and a Ctrl-C in the terminal; `kafka.sh stop` ends it.
  # shellcheck disable=SC2086 # KAFKA_HEAP_OPTS holds several JVM flags
  setsid java ${KAFKA_HEAP_OPTS:--Xmx512m -Xms256m} -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true \
    -Dlog4j.configuration="file:$dir/log4j.properties" -cp "$LIBS/*" kafka.Kafka "$dir/server.properties" \
    >"$logfile" 2>&1 </dev/null &
  echo "$!" >"$(node_pidfile "$node")"
  log "starting node $node (pid $!, $HOST:$(node_port "$node"), log $logfile)"
}

start() {
  # Topics are created by a TypeScript tool run through the project's dependencies: check before starting anything.
  [ -d "$CONDUCT_ROOT/node_modules/@swc-node/register" ] || die "the project's dependencies are not installed: run 'npm ci' in $CONDUCT_ROOT first"
  if [ -n "${KAFKA_BROKERS:-}" ]; then
    log "KAFKA_BROKERS=$KAFKA_BROKERS is set: using that cluster, starting nothing"
    create_topics "$KAFKA_BROKERS" 30 "$REPLICATION" "$MIN_INSYNC"
    return 0
  fi
  local node started_at launched=() fetched=false
  started_at=$(now_ms)
  for node in $(seq 1 "$NODES"); do
    if pid_alive "$(node_pidfile "$node")" kafka.Kafka; then
      log "node $node already running (pid $(cat "$(node_pidfile "$node")")) on $HOST:$(node_port "$node")"
      continue
    fi
    rm -f "$(node_pidfile "$node")"
    if port_open "$HOST" "$(node_port "$node")"; then
      log "something already listens on $HOST:$(node_port "$node") (not started by this script): using it"
      continue
    fi
    if ! $fetched; then
      fetch
      require_command java openjdk-17-jre-headless
      fetched=true
    fi
    launch_node "$node"
    launched+=("$node")
  done

  local deadline=$((started_at + START_TIMEOUT * 1000))
  for node in "${launched[@]}"; do
    local pid
    pid=$(cat "$(node_pidfile "$node")")
    until port_open "$HOST" "$(node_port "$node")"; do
      if ! kill -0 "$pid" 2>/dev/null; then
        rm -f "$(node_pidfile "$node")"
        show_log_tail "$node"
        die "node $node exited during startup (see the log above)"
      fi
      if [ "$(now_ms)" -gt "$deadline" ]; then
        show_log_tail "$node"
        die "node $node did not open $HOST:$(node_port "$node") within ${START_TIMEOUT}s (still running as pid $pid; 'kafka.sh stop' ends it)"
      fi
      sleep 0.2
    done
  done
  local remaining=$(((deadline - $(now_ms)) / 1000))
  if ! create_topics "$(brokers)" "$((remaining > 5 ? remaining : 5))" "$REPLICATION" "$MIN_INSYNC"; then
    show_log_tail 1
    die "the brokers listen on $(brokers) but did not serve metadata / create topics"
  fi
  log "ready on $(brokers) in $(($(now_ms) - started_at)) ms"
}

stop_node() {
  local node=$1 pidfile pid
  pidfile=$(node_pidfile "$node")
  if ! pid_alive "$pidfile" kafka.Kafka; then
    rm -f "$pidfile"
    if port_open "$HOST" "$(node_port "$node")"; then
      log "a broker on $HOST:$(node_port "$node") was not started by this script: leaving it alone"
    else
      log "node $node not running"
    fi
    return 0
  fi
  pid=$(cat "$pidfile")
  log "stopping node $node (pid $pid)"
  kill -CONT "$pid" 2>/dev/null || true # a frozen node must hear the SIGTERM
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$(($(now_ms) + STOP_TIMEOUT * 1000))
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$(now_ms)" -gt "$deadline" ]; then
      log "node $node still running after ${STOP_TIMEOUT}s: sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.2
  done
  rm -f "$pidfile"
  log "node $node stopped"
}

stop() {
  local node
  # In parallel: a controller waits for its quorum while it shuts down, so one at a time is slow.
  for node in $(seq 1 "$NODES"); do stop_node "$node" & done
  wait
}

status() {
  local node answering=0 line
  for node in $(seq 1 "$NODES"); do
    local ours="" port
    port=$(node_port "$node")
    pid_alive "$(node_pidfile "$node")" kafka.Kafka && ours=" (started by kafka.sh, pid $(cat "$(node_pidfile "$node")"))"
    if port_open "$HOST" "$port"; then
      line="Kafka answers on $HOST:$port$ours"
      answering=$((answering + 1))
    elif [ -n "$ours" ]; then
      line="Kafka process is running$ours but $HOST:$port does not answer yet"
    else
      line="Kafka is not running on $HOST:$port"
    fi
    echo "$line"
  done
  [ "$answering" = "$NODES" ] || return 3
}

case "${1:-}" in
  fetch) fetch ;;
  start) start ;;
  stop) stop ;;
  status) status ;;
  brokers) brokers ;;
  reset)
    stop
    for node in $(seq 1 "$NODES"); do
      log "deleting $(node_data "$node")"
      rm -rf "$(node_data "$node")"
    done
    rm -f "$KAFKA_DIR/cluster-id"
    start
    ;;
  *)
    echo "usage: $0 fetch|start|stop|status|brokers|reset" >&2
    exit 2
    ;;
esac
