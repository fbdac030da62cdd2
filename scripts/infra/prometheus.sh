# Prometheus and promtool for the scripts (sourced, not run): the alert rules are checked and
# unit-tested with promtool in `npm test`, and `npm start -- --observe` runs Prometheus. Where the
# machine lacks them, `use_prometheus` unpacks Debian's `prometheus` package (apt-get download, no
# daemon installed or started) into .cache/prometheus and puts its binaries first on PATH.
# shellcheck shell=bash
# shellcheck source=scripts/infra/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

use_prometheus() {
  command -v promtool >/dev/null 2>&1 && command -v prometheus >/dev/null 2>&1 && return 0
  local dir="$CONDUCT_CACHE/prometheus"
  if [ ! -x "$dir/usr/bin/promtool" ]; then
    command -v apt-get >/dev/null 2>&1 && command -v dpkg-deb >/dev/null 2>&1 \
      || die "promtool is needed: install Prometheus (Debian/Ubuntu package: prometheus)"
    log "promtool not found: unpacking Debian's prometheus package into $dir"
    local work
    work=$(mktemp -d)
    # Root: _apt cannot write to the temporary directory; as root the download needs no sandbox.
    local download=(apt-get download -qq -o APT::Sandbox::User=root prometheus)
    if ! (cd "$work" && "${download[@]}") >&2; then
      # A machine whose package lists were never fetched: fetch them, when we may.
      [ "$(id -u)" = 0 ] || { rm -rf "$work"; die "could not download the prometheus package; install it yourself (apt-get install prometheus)"; }
      apt-get update -qq >&2 && (cd "$work" && "${download[@]}") >&2 \
        || { rm -rf "$work"; die "could not download Debian's prometheus package"; }
    fi
    dpkg-deb -x "$work"/prometheus_*.deb "$work/unpacked" || { rm -rf "$work"; die "could not unpack the prometheus package"; }
    mkdir -p "$(dirname "$dir")"
    # Another script may have unpacked it meanwhile: keep whichever landed first.
    mv -T "$work/unpacked" "$dir" 2>/dev/null || true
    rm -rf "$work"
    [ -x "$dir/usr/bin/promtool" ] || die "the prometheus package did not unpack into $dir"
  fi
  export PATH="$dir/usr/bin:$PATH"
}
