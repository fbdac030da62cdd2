#!/usr/bin/env bash
# Prints the path of a Chromium for the console's browser tests, installing Debian's `chromium`
# package where none is found (as root, with apt-get). CHROMIUM_PATH names one explicitly.
set -euo pipefail
LOG_PREFIX=${LOG_PREFIX:-chromium}
# shellcheck source=scripts/infra/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

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
