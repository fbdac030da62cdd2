#!/usr/bin/env bash
# `npm run alerts:check` (and a check of `npm test`): the shipped Prometheus configuration and alert
# rules are valid (`promtool check config`, which checks the rules too), and the rules' unit tests
# pass (`promtool test rules`). promtool comes from Debian's prometheus package (scripts/infra/prometheus.sh).
set -euo pipefail
LOG_PREFIX=alerts
# shellcheck source=scripts/infra/prometheus.sh
source "$(dirname "${BASH_SOURCE[0]}")/infra/prometheus.sh"
use_prometheus
cd "$CONDUCT_ROOT/deploy/observability"
promtool check config prometheus.yml
promtool test rules alerts.test.yml
