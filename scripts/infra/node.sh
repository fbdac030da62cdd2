# Node.js for the scripts (sourced, not run): the project runs on Node.js 24 LTS. Where the
# machine's node is older, `use_project_node` fetches the release below from the npm registry (the
# package node-linux-<arch> ships the official binary) into .cache/node/<version>, as Kafka is
# fetched through Maven, and puts it first on PATH for everything the script runs after.
# shellcheck shell=bash
# shellcheck source=scripts/infra/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

CONDUCT_NODE_VERSION=${CONDUCT_NODE_VERSION:-24.22.3}

use_project_node() {
  local want=${CONDUCT_NODE_VERSION%%.*} have
  have=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
  [ "$have" -ge "$want" ] && return 0
  local arch
  case "$(uname -m)" in
    x86_64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) die "Node.js $want is needed and none is fetched for $(uname -m): install Node.js $want" ;;
  esac
  local dir="$CONDUCT_CACHE/node/$CONDUCT_NODE_VERSION"
  if [ ! -x "$dir/bin/node" ]; then
    log "Node.js ${have:-?} is older than $want: fetching Node.js $CONDUCT_NODE_VERSION (npm package node-linux-$arch) into $dir"
    local work
    work=$(mktemp -d)
    (cd "$work" && npm pack "node-linux-$arch@$CONDUCT_NODE_VERSION" --silent >/dev/null) \
      || { rm -rf "$work"; die "could not fetch node-linux-$arch@$CONDUCT_NODE_VERSION from the npm registry"; }
    mkdir -p "$work/node" "$(dirname "$dir")"
    tar xzf "$work"/*.tgz -C "$work/node" --strip-components=1 || { rm -rf "$work"; die "could not unpack Node.js $CONDUCT_NODE_VERSION"; }
    # Another script may have fetched it meanwhile: keep whichever landed first.
    mv -T "$work/node" "$dir" 2>/dev/null || true
    rm -rf "$work"
    [ -x "$dir/bin/node" ] || die "Node.js $CONDUCT_NODE_VERSION did not unpack into $dir"
  fi
  export PATH="$dir/bin:$PATH"
  log "using Node.js $(node --version) from $dir"
}
