#!/usr/bin/env bash
# Makes sure PostgreSQL answers on CONDUCT_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432)
# and that the four service databases exist. CONDUCT_POSTGRES_CLUSTER names the Debian cluster (default main).
#   postgres.sh up     start the local cluster if nothing answers (installing PostgreSQL if absent), create the databases
#   postgres.sh down   stop the local cluster, but only if `postgres.sh up` started it (marker file)
#   postgres.sh status exit 0 when PostgreSQL answers
set -euo pipefail
LOG_PREFIX=postgres
# shellcheck source=scripts/infra/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

URL=${CONDUCT_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432}
URL=${URL%/}
DATABASES=(conduct_approval conduct_violation conduct_notification conduct_reporting)
MARKER="$CONDUCT_CACHE/postgres/started-cluster"
READY_TIMEOUT=${POSTGRES_READY_TIMEOUT:-60}
CLUSTER=${CONDUCT_POSTGRES_CLUSTER:-main}
# An unreachable host should fail in seconds, not after the TCP timeout.
export PGCONNECT_TIMEOUT=${PGCONNECT_TIMEOUT:-3}

# Host of the server URL: only a local server may be started or installed by this script.
url_host() {
  local rest=${URL#*://}
  rest=${rest##*@}
  rest=${rest%%/*}
  rest=${rest%%\?*}
  if [[ $rest == \[* ]]; then rest=${rest%%]*}; echo "${rest#[}"; else echo "${rest%%:*}"; fi
}

answers() { psql "$URL/postgres" -qAtX -c 'select 1' >/dev/null 2>&1; }

run_psql() { psql "$URL/postgres" -qAtX -v ON_ERROR_STOP=1 "$@"; }

installed_cluster() {
  local version
  version=$(find /etc/postgresql -mindepth 1 -maxdepth 1 -type d -printf '%f\n' 2>/dev/null | sort -V | tail -n 1)
  [ -n "$version" ] && [ -d "/etc/postgresql/$version/$CLUSTER" ] && echo "$version"
}

# A fresh Debian install only trusts local sockets by peer; the URL connects over TCP without a password.
trust_localhost() {
  local hba="/etc/postgresql/$1/$CLUSTER/pg_hba.conf"
  grep -q 'conduct: trust localhost' "$hba" && return 0
  log "allowing password-less TCP connections from localhost in $hba (development cluster)"
  local tmp
  tmp=$(mktemp)
  {
    echo '# conduct: trust localhost (added by scripts/infra/postgres.sh for development)'
    echo 'host all all 127.0.0.1/32 trust'
    echo 'host all all ::1/128 trust'
    cat "$hba"
  } >"$tmp"
  cat "$tmp" >"$hba" && rm -f "$tmp"
}

start_local_cluster() {
  local host
  host=$(url_host)
  case "$host" in
    127.0.0.1 | localhost | ::1) ;;
    *) die "nothing answers on $URL and $host is not this machine: start that server or unset CONDUCT_POSTGRES_URL" ;;
  esac

  local version installed_now=false
  version=$(installed_cluster || true)
  if [ -z "$version" ] || ! command -v pg_ctlcluster >/dev/null 2>&1; then
    if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
      die "PostgreSQL is not installed. Install it (apt-get install postgresql) or set CONDUCT_POSTGRES_URL"
    fi
    log "PostgreSQL is not installed: installing it with apt-get"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; } >&2 \
      || die "apt-get install postgresql failed"
    version=$(installed_cluster) || die "postgresql installed but no cluster in /etc/postgresql"
    installed_now=true
  fi
  $installed_now && trust_localhost "$version"

  if pg_lsclusters -h 2>/dev/null | awk -v v="$version" -v c="$CLUSTER" '$1 == v && $2 == c && $4 == "online"' | grep -q .; then
    $installed_now && pg_ctlcluster --skip-systemctl-redirect "$version" "$CLUSTER" reload
    log "cluster $version/$CLUSTER is online but $URL does not answer yet: waiting"
  else
    log "starting PostgreSQL cluster $version/$CLUSTER"
    pg_ctlcluster --skip-systemctl-redirect "$version" "$CLUSTER" start \
      || die "pg_ctlcluster $version $CLUSTER start failed (see /var/log/postgresql/postgresql-$version-$CLUSTER.log)"
    mkdir -p "$(dirname "$MARKER")"
    echo "$version $CLUSTER" >"$MARKER"
  fi

  local deadline=$(($(now_ms) + READY_TIMEOUT * 1000))
  until answers; do
    if [ "$(now_ms)" -gt "$deadline" ]; then
      tail -n 20 "/var/log/postgresql/postgresql-$version-$CLUSTER.log" >&2 2>/dev/null || true
      die "PostgreSQL did not answer on $URL within ${READY_TIMEOUT}s"
    fi
    sleep 0.2
  done
}

create_databases() {
  local db
  for db in "${DATABASES[@]}"; do
    if [ "$(run_psql -c "select 1 from pg_database where datname = '$db'")" != 1 ]; then
      # Another process may create it at the same moment: "already exists" is fine.
      run_psql -c "create database $db" 2>/dev/null || [ "$(run_psql -c "select 1 from pg_database where datname = '$db'")" = 1 ] \
        || die "could not create database $db"
      log "created database $db"
    fi
  done
  # The role the services connect as (ADR 19); the migrations, run as the owner, grant it the rest.
  if [ "$(run_psql -c "select 1 from pg_roles where rolname = 'conduct_service'")" != 1 ]; then
    run_psql -c "create role conduct_service login password 'conduct_service'" 2>/dev/null \
      || [ "$(run_psql -c "select 1 from pg_roles where rolname = 'conduct_service'")" = 1 ] || die "could not create role conduct_service"
    log "created role conduct_service"
  fi
}

up() {
  require_command psql postgresql-client
  if answers; then
    log "PostgreSQL answers on $URL"
  else
    start_local_cluster
    log "PostgreSQL ready on $URL"
  fi
  create_databases
}

down() {
  if [ ! -f "$MARKER" ]; then
    log "PostgreSQL was not started by these scripts: leaving it running"
    return 0
  fi
  local version cluster
  read -r version cluster <"$MARKER"
  log "stopping PostgreSQL cluster $version/$cluster (started by postgres.sh)"
  pg_ctlcluster --skip-systemctl-redirect "$version" "$cluster" stop || log "pg_ctlcluster stop failed"
  rm -f "$MARKER"
}

case "${1:-up}" in
  up) up ;;
  down) down ;;
  status)
    if answers; then echo "PostgreSQL answers on $URL"; else echo "PostgreSQL does not answer on $URL"; exit 3; fi
    ;;
  *)
    echo "usage: $0 up|down|status" >&2
    exit 2
    ;;
esac
