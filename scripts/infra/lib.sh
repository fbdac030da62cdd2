# Shared helpers for the infrastructure scripts (sourced, not run).
# shellcheck shell=bash

CONDUCT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck disable=SC2034 # used by the scripts that source this file
CONDUCT_CACHE="$CONDUCT_ROOT/.cache"

log() { printf '[%s] %s\n' "${LOG_PREFIX:-infra}" "$*" >&2; }
die() { printf '[%s] ERROR: %s\n' "${LOG_PREFIX:-infra}" "$*" >&2; exit 1; }

# True when a TCP connection to host:port succeeds within a second (no nc needed).
port_open() {
  timeout 1 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null
}

# Milliseconds since the epoch, for timings and deadlines.
now_ms() { date +%s%3N; }

# Installs Debian packages when a command is missing and we may (root + apt-get); fails clearly otherwise.
require_command() {
  local cmd=$1 package=$2
  command -v "$cmd" >/dev/null 2>&1 && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    log "$cmd not found: installing $package with apt-get"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package"; } >&2 \
      || die "could not install $package; install it yourself (it provides $cmd)"
    command -v "$cmd" >/dev/null 2>&1 || die "$package installed but $cmd is still missing"
  else
    die "$cmd is required (Debian/Ubuntu package: $package). Install it, or point KAFKA_BROKERS / CONDUCT_POSTGRES_URL at running infrastructure."
  fi
}

# Is the process in this pid file alive and is it the command we expect (guards against pid reuse)?
pid_alive() {
  local pidfile=$1 pattern=$2 pid
  [ -f "$pidfile" ] || return 1
  pid=$(cat "$pidfile" 2>/dev/null) || return 1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$pattern"
}
