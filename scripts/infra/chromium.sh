#!/usr/bin/env bash
# Prints the path of a Chromium for the console's browser tests, installing Debian's `chromium`
# package where none is found (as root, with apt-get), and a font for Urdu where there is none.
# CHROMIUM_PATH names a Chromium explicitly.
set -euo pipefail
LOG_PREFIX=${LOG_PREFIX:-chromium}
# shellcheck source=scripts/infra/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# Urdu pages need a font with its letters (Noto's Arabic-script faces); a bare machine has none.
if command -v fc-list >/dev/null 2>&1 && [ -z "$(fc-list :lang=ur 2>/dev/null)" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  log "no Urdu font: installing fonts-noto-core with apt-get"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-core; } >&2 || log "could not install fonts-noto-core: Urdu screenshots will show boxes"
fi

if [ -n "${CHROMIUM_PATH:-}" ]; then
  [ -x "$CHROMIUM_PATH" ] || die "CHROMIUM_PATH=$CHROMIUM_PATH is not an executable"
  echo "$CHROMIUM_PATH"
  exit 0
fi
for candidate in chromium chromium-browser google-chrome; do
  if command -v "$candidate" >/dev/null 2>&1; then
    command -v "$candidate"
    exit 0
  fi
done
require_command chromium chromium
command -v chromium
