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

# The web pages of Debian's Prometheus (the classic UI at /classic/: graph, alerts, targets) are
# read from /usr/share/prometheus/web, a path built into the binary, and link the JavaScript
# libraries of Debian's libjs-* packages. Without them Prometheus still runs and answers its API;
# as root on Debian/Ubuntu this installs the libraries (static files only, no service) and copies
# the pages from the unpacked package. Returns 1, after saying why, when the pages stay missing.
PROMETHEUS_WEB=/usr/share/prometheus/web
PROMETHEUS_WEB_PACKAGES=(fonts-glyphicons-halflings libjs-bootstrap4 libjs-eonasdan-bootstrap-datetimepicker libjs-jquery
  libjs-jquery-hotkeys libjs-moment libjs-moment-timezone libjs-mustache libjs-popper.js libjs-rickshaw)

use_prometheus_pages() {
  [ -f "$PROMETHEUS_WEB/templates/graph.html" ] && [ -f /usr/share/javascript/rickshaw/rickshaw.min.js ] && return 0
  local unpacked="$CONDUCT_CACHE/prometheus/usr/share/prometheus/web"
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1 || [ ! -d "$unpacked" ]; then
    log "Prometheus's web pages are not installed (as root: apt-get install prometheus); its API answers at /api/v1"
    return 1
  fi
  log "installing Prometheus's web pages into $PROMETHEUS_WEB and the JavaScript libraries they use"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${PROMETHEUS_WEB_PACKAGES[@]}" >&2 \
    || { apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${PROMETHEUS_WEB_PACKAGES[@]}" >&2; } \
    || { log "could not install the libraries of Prometheus's web pages; its API answers at /api/v1"; return 1; }
  mkdir -p "$(dirname "$PROMETHEUS_WEB")" && cp -a "$unpacked" "$PROMETHEUS_WEB"
}
