#!/usr/bin/env bash
# Starts what Conduct needs on this machine, without Docker: PostgreSQL (local cluster, four
# databases) and Kafka (one KRaft node, or three with KAFKA_NODES=3; topics). Already-running
# pieces are reused, and CONDUCT_POSTGRES_URL / KAFKA_BROKERS point it at existing infrastructure instead.
# Progress goes to stderr; stdout is only the variables, so `eval "$(bash scripts/infra/up.sh)"` works.
set -euo pipefail
LOG_PREFIX=infra
# shellcheck source=scripts/infra/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
INFRA="$CONDUCT_ROOT/scripts/infra"

started_at=$(now_ms)
# PostgreSQL and Kafka start independently: in parallel they take the time of the slower one.
bash "$INFRA/postgres.sh" up &
postgres_pid=$!
kafka_status=0
bash "$INFRA/kafka.sh" start || kafka_status=$?
postgres_status=0
wait "$postgres_pid" || postgres_status=$?
[ "$postgres_status" = 0 ] || die "PostgreSQL is not ready (see above)"
[ "$kafka_status" = 0 ] || die "Kafka is not ready (see above)"

log "infrastructure ready in $(($(now_ms) - started_at)) ms; stop it with: npm run infra:down"
echo "export CONDUCT_POSTGRES_URL=${CONDUCT_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432}"
echo "export KAFKA_BROKERS=${KAFKA_BROKERS:-$(bash "$INFRA/kafka.sh" brokers)}"
