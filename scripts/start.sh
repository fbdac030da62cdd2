#!/usr/bin/env bash
# `npm start`: the whole system on this machine, without Docker.
#   PostgreSQL + Kafka (scripts/infra/up.sh) -> build (dist/) -> migrations -> the four services and
#   the console (http://127.0.0.1:3000, CONSOLE_PORT),
#   logs prefixed by name.
# CONDUCT_POSTGRES_URL / KAFKA_BROKERS point it at existing infrastructure instead. The services
# verify tokens with the local development key in .cache/keys/ (what `npm run token` signs with)
# unless JWT_JWKS_URL or JWT_PUBLIC_KEY names an identity provider. Ctrl-C stops the services, and
# Kafka if this script started it. `npm start -- --observe` (or CONDUCT_OBSERVE=1) also runs
# Prometheus on http://127.0.0.1:9090, scraping the services with the alert rules loaded.
set -euo pipefail
LOG_PREFIX=start
# shellcheck source=scripts/infra/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/infra/lib.sh"
# shellcheck source=scripts/infra/node.sh
source "$(dirname "${BASH_SOURCE[0]}")/infra/node.sh"
use_project_node
cd "$CONDUCT_ROOT"
INFRA="$CONDUCT_ROOT/scripts/infra"
READY_TIMEOUT=${CONDUCT_READY_TIMEOUT:-180}
OBSERVE=${CONDUCT_OBSERVE:-0}
for argument in "$@"; do
  case "$argument" in
    --observe) OBSERVE=1 ;;
    *) die "unknown option $argument (the one option is --observe)" ;;
  esac
done
PROMETHEUS_ADDRESS=127.0.0.1:9090

# name port database
SERVICES=(
  "approval-service 3001 conduct_approval"
  "violation-service 3002 conduct_violation"
  "notification-service 3003 conduct_notification"
  "reporting-service 3004 conduct_reporting"
)

service_pids=()
catcher_pid=""
prometheus_pid=""
started_kafka=false
stopping=false

# shellcheck disable=SC2317 # called from the traps
stop_all() {
  $stopping && return 0
  stopping=true
  trap - INT TERM
  [ -z "$catcher_pid" ] || kill -TERM "$catcher_pid" 2>/dev/null || true
  [ -z "$prometheus_pid" ] || kill -TERM "$prometheus_pid" 2>/dev/null || true
  if [ "${#service_pids[@]}" -gt 0 ]; then
    log "stopping the services"
    kill -TERM "${service_pids[@]}" 2>/dev/null || true
    local deadline=$(($(now_ms) + 10000)) pid
    for pid in "${service_pids[@]}"; do
      while kill -0 "$pid" 2>/dev/null && [ "$(now_ms)" -lt "$deadline" ]; do sleep 0.1; done
      kill -KILL "$pid" 2>/dev/null || true
    done
  fi
  if $started_kafka; then bash "$INFRA/kafka.sh" stop || true; fi
}
trap 'stop_all; exit 130' INT
trap 'stop_all; exit 143' TERM
trap 'stop_all' EXIT

http_ok() { # url
  if command -v curl >/dev/null 2>&1; then
    curl -fsS -o /dev/null --max-time 2 "$1" 2>/dev/null
  else
    node -e 'fetch(process.argv[1], { signal: AbortSignal.timeout(2000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "$1"
  fi
}

# Colour the name prefix on a terminal only.
prefix_lines() { # name colour
  local label="[$1]"
  [ -t 1 ] && label=$'\e['"$2"'m'"$label"$'\e[0m'
  # awk, not a `while read` loop: bash reads a pipe one byte per system call, which under load
  # cost more CPU than the service writing the lines (measured with npm run bench:http).
  awk -v label="$label" '{ print label " " $0; fflush() }'
}

if [ ! -d node_modules ]; then
  log "installing dependencies (npm ci)"
  npm ci --no-audit --no-fund
fi

for entry in "${SERVICES[@]}"; do
  read -r name port _ <<<"$entry"
  [ -f "apps/$name/src/main.ts" ] || die "apps/$name/src/main.ts does not exist"
  ! port_open 127.0.0.1 "$port" || die "port $port ($name) is already in use: is Conduct already running?"
done
CONSOLE_PORT=${CONSOLE_PORT:-3000}
! port_open 127.0.0.1 "$CONSOLE_PORT" || die "port $CONSOLE_PORT (the console) is already in use: set CONSOLE_PORT to choose another"
if [ "$OBSERVE" = 1 ]; then
  ! port_open 127.0.0.1 9090 || die "port 9090 (Prometheus) is already in use"
  # shellcheck source=scripts/infra/prometheus.sh
  source "$INFRA/prometheus.sh"
  use_prometheus
  use_prometheus_pages && prometheus_alerts_page="http://$PROMETHEUS_ADDRESS/classic/alerts" \
    || prometheus_alerts_page="http://$PROMETHEUS_ADDRESS/api/v1/alerts"
fi

[ -n "${KAFKA_BROKERS:-}" ] || bash "$INFRA/kafka.sh" status >/dev/null 2>&1 || started_kafka=true
exports=$(bash "$INFRA/up.sh") || die "the infrastructure did not start (see above)"
eval "$exports"
export CONDUCT_POSTGRES_URL KAFKA_BROKERS KAFKAJS_NO_PARTITIONER_WARNING=1
POSTGRES_URL=${CONDUCT_POSTGRES_URL%/}

# The services run compiled, as in production (npm run build: a second or so).
node scripts/build.js || die "the build failed"
log "running migrations (npm run migrate)"
node --enable-source-maps dist/scripts/migrate.js || die "migrations failed"

# Notices go to a local SMTP catcher that prints each mail, unless SMTP_URL names a real server.
if [ -z "${SMTP_URL:-}" ]; then
  if port_open 127.0.0.1 1025; then
    log "port 1025 is taken: notices go to whatever listens there (set SMTP_URL to choose)"
  else
    node --enable-source-maps dist/apps/notification-service/src/testing/smtp-catcher.main.js \
      > >(prefix_lines mail 34) 2>&1 &
    catcher_pid=$!
  fi
fi
export RECIPIENTS_SEED_FILE=${RECIPIENTS_SEED_FILE:-config/recipients.seed.json}
export UNITS_SEED_FILE=${UNITS_SEED_FILE:-config/units.seed.json}
# A webhook receiver you run on this machine listens on loopback, which webhooks may not reach unless allowed.
export WEBHOOK_ALLOWED_NETWORKS=${WEBHOOK_ALLOWED_NETWORKS:-127.0.0.0/8,::1/128}

# The services connect as their own role (SELECT and INSERT only on events, ADR 19); the
# migrations, run as the server's user, grant it what else a service needs.
server=${POSTGRES_URL#*://}
SERVICE_POSTGRES_URL="postgres://conduct_service:conduct_service@${server#*@}"

colours=(36 35 33 32)
index=0
for entry in "${SERVICES[@]}"; do
  read -r name port database <<<"$entry"
  DATABASE_URL="$SERVICE_POSTGRES_URL/$database" DATABASE_MIGRATION_URL="$POSTGRES_URL/$database" PORT=$port NODE_ENV=development \
    node --enable-source-maps "dist/apps/$name/src/main.js" \
    > >(prefix_lines "${name%-service}" "${colours[$index]}") 2>&1 &
  service_pids+=($!)
  index=$((index + 1))
done
log "starting ${#SERVICES[@]} services; waiting for GET /health/ready (up to ${READY_TIMEOUT}s)"
# The console (apps/console): the web app and its backend-for-frontend, which calls the services.
PORT=$CONSOLE_PORT NODE_ENV=development node --enable-source-maps dist/apps/console/src/main.js \
  > >(prefix_lines console 34) 2>&1 &
service_pids+=($!)

if [ "$OBSERVE" = 1 ]; then
  # Its data lives in .cache/: a later run sees the earlier runs' series.
  mkdir -p "$CONDUCT_CACHE/prometheus-data"
  prometheus --config.file=deploy/observability/prometheus.yml --storage.tsdb.path="$CONDUCT_CACHE/prometheus-data" \
    --web.listen-address="$PROMETHEUS_ADDRESS" --log.level=warn \
    > >(prefix_lines prometheus 31) 2>&1 &
  prometheus_pid=$!
fi

deadline=$(($(now_ms) + READY_TIMEOUT * 1000))
index=0
for entry in "${SERVICES[@]}"; do
  read -r name port _ <<<"$entry"
  pid=${service_pids[$index]}
  until http_ok "http://127.0.0.1:$port/health/ready"; do
    kill -0 "$pid" 2>/dev/null || die "$name exited during startup (see its log lines above)"
    [ "$(now_ms)" -lt "$deadline" ] || die "$name did not answer GET http://127.0.0.1:$port/health/ready within ${READY_TIMEOUT}s"
    sleep 0.5
  done
  index=$((index + 1))
done

{
  echo
  echo "Conduct is running:"
  for entry in "${SERVICES[@]}"; do
    read -r name port _ <<<"$entry"
    printf '  %-22s http://127.0.0.1:%s   API docs: http://127.0.0.1:%s/docs\n' "$name" "$port" "$port"
  done
  echo "  console (web app)     http://127.0.0.1:$CONSOLE_PORT   sign in as one of the demo identities"
  echo "  PostgreSQL            $POSTGRES_URL"
  echo "  Kafka                 $KAFKA_BROKERS"
  echo "  Mail (notices)        ${SMTP_URL:-smtp://127.0.0.1:1025, printed above as [mail]}"
  [ -z "$prometheus_pid" ] || echo "  Prometheus            http://$PROMETHEUS_ADDRESS (alerts: $prometheus_alerts_page)"
  echo
  echo "A token for the API:    npm run -s token -- --role ADMIN"
  echo "  then:                 curl -H \"Authorization: Bearer \$TOKEN\" http://127.0.0.1:3001/..."
  echo "Stop with Ctrl-C."
  echo
} >&2

# Runs until Ctrl-C, or until a service exits (then everything stops).
set +e
wait -n "${service_pids[@]}"
status=$?
set -e
# Ctrl-C reaches the services too: give the pending INT trap a moment to run (it exits quietly).
[ "$status" -le 128 ] || sleep 0.5
$stopping || log "a service exited (status $status): stopping the others"
exit $((status == 0 ? 1 : status))
