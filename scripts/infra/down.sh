#!/usr/bin/env bash
# Stops what scripts/infra/up.sh started: the Kafka broker (pid file) and PostgreSQL only if
# postgres.sh started the cluster (marker file). Infrastructure that was already running stays.
set -euo pipefail
INFRA="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
status=0
bash "$INFRA/kafka.sh" stop || status=$?
bash "$INFRA/postgres.sh" down || status=$?
exit "$status"
