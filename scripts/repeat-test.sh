#!/usr/bin/env bash
# Runs one test file (or any Jest path pattern) N times in a row and reports each run and the total:
# how a flaky test is shown fixed. Needs the infrastructure up (npm run infra:up) and its variables.
#   npm run test:repeat -- <level: unit|integration|e2e> <path pattern> [runs, default 20]
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1
level=${1:?level: unit, integration or e2e}
pattern=${2:?a Jest path pattern, e.g. takedown-deadline.int-spec}
runs=${3:-20}
if [ "$level" != unit ] && { [ -z "${CONDUCT_POSTGRES_URL:-}" ] || [ -z "${KAFKA_BROKERS:-}" ]; }; then
  eval "$(bash scripts/infra/up.sh)" || exit 1
  export CONDUCT_POSTGRES_URL KAFKA_BROKERS
fi
export KAFKAJS_NO_PARTITIONER_WARNING=1
passed=0
failed=0
started=$(date +%s)
for run in $(seq 1 "$runs"); do
  run_started=$(date +%s)
  if node --experimental-vm-modules --disable-warning=ExperimentalWarning node_modules/jest/bin/jest.js --ci --selectProjects "$level" --testPathPatterns "$pattern" >"/tmp/repeat-test-$run.log" 2>&1; then
    passed=$((passed + 1))
    echo "run $run/$runs: passed in $(($(date +%s) - run_started)) s"
  else
    failed=$((failed + 1))
    echo "run $run/$runs: FAILED in $(($(date +%s) - run_started)) s (log: /tmp/repeat-test-$run.log)"
  fi
done
echo "$pattern: $runs runs in $(($(date +%s) - started)) s"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
