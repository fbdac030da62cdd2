#!/usr/bin/env bash
# `npm test`: every check, in order, on real infrastructure.
#   lint -> typecheck -> alert rules (promtool) -> unit -> integration -> e2e (with the console's
#   browser tests in Chromium, scripts/infra/chromium.sh)
# Starts PostgreSQL and Kafka (scripts/infra/up.sh) unless CONDUCT_POSTGRES_URL and KAFKA_BROKERS
# name existing ones, and stops again whatever it started itself (CONDUCT_KEEP_INFRA=1 keeps it).
# Every level runs even when an earlier one fails. Lint, typecheck and the alert rules count as one test each.
# Extra arguments go to each Jest run, e.g. `npm test -- libs/shared/event-store`.
# The last line of output is always `N passed, N failed`; the exit status is non-zero on any failure.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT" || exit 1
INFRA="$ROOT/scripts/infra"
# Node.js 24: fetched into .cache/ where the machine's node is older (scripts/infra/node.sh).
# shellcheck source=scripts/infra/node.sh
LOG_PREFIX=test source "$INFRA/node.sh"
use_project_node

passed=0
failed=0
summary=()
started_kafka=false
started_postgres=false
work_dir=$(mktemp -d)

section() { printf '\n==> %s\n' "$*"; }

record() { # level passed failed
  passed=$((passed + $2))
  failed=$((failed + $3))
  summary+=("$(printf '%-12s %s passed, %s failed' "$1" "$2" "$3")")
}

stop_what_we_started() {
  [ "${CONDUCT_KEEP_INFRA:-}" = 1 ] && return 0
  if $started_kafka; then bash "$INFRA/kafka.sh" stop || true; fi
  if $started_postgres; then bash "$INFRA/postgres.sh" down || true; fi
  started_kafka=false
  started_postgres=false
}

finish() {
  stop_what_we_started
  rm -rf "$work_dir"
  section "Summary"
  printf '%s\n' "${summary[@]}"
  echo "$passed passed, $failed failed"
  [ "$failed" = 0 ]
  exit
}
trap 'echo "interrupted"; failed=$((failed + 1)); finish' INT TERM

run_check() { # name command...
  local name=$1
  shift
  section "$name: $*"
  if "$@"; then record "$name" 1 0; else record "$name" 0 1; fi
}

# A Jest run whose tests are over but which does not exit (a client left open) would hang the whole
# run: once the report is written, give Jest HANG_GRACE seconds, then stop it and say so.
HANG_GRACE=${CONDUCT_JEST_EXIT_GRACE:-20}
stop_if_hanging() { # report pidfile killed-marker
  local report=$1 pidfile=$2 marker=$3 pid waited=0
  until [ -s "$report" ]; do sleep 1; done
  pid=$(cat "$pidfile" 2>/dev/null) || return 0
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$waited" -ge "$HANG_GRACE" ]; then
      echo "Jest finished its tests but did not exit within ${HANG_GRACE}s: something is left open (rerun with --detectOpenHandles). Stopping it."
      touch "$marker"
      kill -TERM "$pid" 2>/dev/null
      return 0
    fi
    sleep 1
    waited=$((waited + 1))
  done
}

# Runs one Jest project and counts its tests from the JSON report. A suite that cannot run
# (compile error, failing hook) counts as one failure; so does a Jest run that produced no report.
run_jest_level() { # level extra-jest-args...
  local level=$1 report="$work_dir/$1.json" pidfile="$work_dir/$1.pid" killed="$work_dir/$1.killed"
  shift
  section "Tests: $level"
  stop_if_hanging "$report" "$pidfile" "$killed" &
  local watchdog=$!
  # exec keeps the pid in the pid file the pid of Jest itself, for the watchdog.
  bash -c 'echo $$ >"$0"; exec node --experimental-vm-modules --disable-warning=ExperimentalWarning node_modules/jest/bin/jest.js "$@"' "$pidfile" \
    --ci --selectProjects "$level" --passWithNoTests --json --outputFile "$report" "$@" "${JEST_ARGS[@]}"
  local status=$?
  kill "$watchdog" 2>/dev/null
  wait "$watchdog" 2>/dev/null
  if [ ! -s "$report" ]; then
    record "$level" 0 1
    return
  fi
  # Stopped after its tests were over: the report has the results.
  [ -f "$killed" ] && status=0
  local counts
  counts=$(node -e '
    const r = require(process.argv[1]);
    const failed = r.numFailedTests + r.numRuntimeErrorTestSuites;
    // A non-zero exit with nothing failed in the report (e.g. a failing global setup) is still a failure.
    console.log(r.numPassedTests, failed === 0 && process.argv[2] !== "0" ? 1 : failed);
  ' "$report" "$status")
  # shellcheck disable=SC2086 # two numbers
  record "$level" $counts
}

JEST_ARGS=("$@")

if [ ! -d node_modules ]; then
  section "Installing dependencies (npm ci)"
  npm ci --no-audit --no-fund || { record "npm ci" 0 1; finish; }
fi

if [ -n "${CONDUCT_POSTGRES_URL:-}" ] && [ -n "${KAFKA_BROKERS:-}" ]; then
  section "Infrastructure: using CONDUCT_POSTGRES_URL=$CONDUCT_POSTGRES_URL KAFKA_BROKERS=$KAFKA_BROKERS"
else
  section "Infrastructure: PostgreSQL and Kafka (scripts/infra/up.sh)"
  # Remember what was already running, so that only what this run starts is stopped afterwards.
  [ -z "${KAFKA_BROKERS:-}" ] && ! bash "$INFRA/kafka.sh" status >/dev/null 2>&1 && started_kafka=true
  [ -f "$ROOT/.cache/postgres/started-cluster" ] || started_postgres=true
  if exports=$(bash "$INFRA/up.sh"); then
    eval "$exports"
    export CONDUCT_POSTGRES_URL KAFKA_BROKERS
  else
    echo "Infrastructure did not start: integration and e2e tests will fail (see above)."
  fi
  # postgres.sh leaves a marker only when it started the cluster itself.
  $started_postgres && [ ! -f "$ROOT/.cache/postgres/started-cluster" ] && started_postgres=false
fi
export KAFKAJS_NO_PARTITIONER_WARNING=1

# Through the npm script: it computes the Nx project graph first, without which the module-boundary
# rule silently skips itself on a fresh clone.
run_check lint npm run -s lint
run_check typecheck npm run -s typecheck
run_check alert-rules bash scripts/check-alert-rules.sh
run_jest_level unit
# Integration and e2e tests share one broker and one database server: one file at a time keeps
# them from starving each other on a small machine (CONDUCT_TEST_WORKERS raises it).
run_jest_level integration "--maxWorkers=${CONDUCT_TEST_WORKERS:-1}"
# The console's browser tests drive Debian's Chromium, installed here where it is missing.
if CHROMIUM_PATH=$(bash "$INFRA/chromium.sh"); then
  export CHROMIUM_PATH
else
  echo "No Chromium, and it could not be installed: the console's browser tests will fail (see above)."
fi
run_jest_level e2e --runInBand
finish
