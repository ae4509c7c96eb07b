# Node.js 22 LTS for this project, from the npm registry (the registry's node-linux-<arch> package
# carries the official binary, so no other download is needed). Node 20 left support in April 2026
# and some of the dependencies (Stryker 10, Babel 8, @whatwg-node) refuse it. Not Node 24 yet:
# graphql-shield 7.6.5's chain() calls util.isUndefined, which Node 23 removed.
#
#   source scripts/node-lts.sh          puts that Node first on PATH in this shell (CI does this)
#   bash scripts/node-lts.sh CMD ARG…   runs one command with it (npm run test:mutation does this)
#
# The pinned version is installed once under ~/.cache/mash-node/<version> and reused. When the
# node already on PATH satisfies package.json's engines it is used as it is, unless
# MASH_NODE_PINNED=1 (CI sets it, so CI always proves the pinned version).

MASH_NODE_VERSION=22.23.5

mash_node_lts() {
  local want_pinned="${MASH_NODE_PINNED:-}"
  if [[ -z "$want_pinned" ]] && command -v node >/dev/null 2>&1 \
    && node -e 'const [a, b] = process.versions.node.split(".").map(Number);
                process.exit(a === 22 && b >= 18 ? 0 : 1)'; then
    return 0
  fi

  local arch
  case "$(uname -m)" in
    x86_64 | amd64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *)
      echo "node-lts.sh: no Node.js package for $(uname -m); install Node.js $MASH_NODE_VERSION yourself" >&2
      return 1
      ;;
  esac

  local prefix="${XDG_CACHE_HOME:-$HOME/.cache}/mash-node/$MASH_NODE_VERSION"
  local bin="$prefix/node_modules/node-linux-$arch/bin"
  if [[ ! -x "$bin/node" ]]; then
    echo "node-lts.sh: installing Node.js $MASH_NODE_VERSION from the npm registry into $prefix" >&2
    # A private folder first, then one rename: two shells provisioning at once cannot see half a
    # binary. npm checks the tarball against the registry's integrity hash.
    local staging="$prefix.$$"
    rm -rf "$staging"
    npm install --no-save --no-audit --no-fund --no-package-lock --no-update-notifier --loglevel=error \
      --prefix "$staging" "node-linux-$arch@$MASH_NODE_VERSION" >&2 || {
      rm -rf "$staging"
      return 1
    }
    mkdir -p "$(dirname "$prefix")"
    mv -T "$staging" "$prefix" 2>/dev/null || rm -rf "$staging"
  fi
  # The system npm is a script run by whichever node comes first on PATH, so it runs on this one;
  # it would then look for its global npmrc beside this node, so keep the machine's (CA, registry).
  if [[ -z "${NPM_CONFIG_GLOBALCONFIG:-}" ]]; then
    NPM_CONFIG_GLOBALCONFIG="$(npm config get globalconfig 2>/dev/null || true)"
    [[ -n "$NPM_CONFIG_GLOBALCONFIG" ]] && export NPM_CONFIG_GLOBALCONFIG
  fi
  export PATH="$bin:$PATH"
  hash -r
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  set -euo pipefail
  mash_node_lts
  if [[ $# -eq 0 ]]; then
    node --version
  else
    exec "$@"
  fi
else
  mash_node_lts
fi
