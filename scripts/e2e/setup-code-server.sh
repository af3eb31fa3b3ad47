#!/usr/bin/env bash
# Installs the real VS Code the end-to-end tests drive: npm's code-server package (which bundles
# VS Code's server and web workbench), with its native modules built against this machine's Node
# and Debian's ripgrep in place of the binary it would otherwise download. Idempotent and cached:
# a stamp file records the version, and a run that finds it (and the install still loading) only
# prints the folder. Needs the npm registry, a C++ toolchain and the Debian packages listed below.
#
# Usage: scripts/e2e/setup-code-server.sh [--force]
# Env:   RELU_DOCTOR_CODE_SERVER_DIR  where to install (default: ~/.cache/relu-doctor/code-server-<version>,
#                                     outside the repo so fresh clones on the same machine reuse it)
# Prints the install folder as its last line of stdout; everything else goes to stderr.
set -euo pipefail

VERSION=4.100.3   # the last code-server on Node 20 (VS Code 1.100.3)
DIR="${RELU_DOCTOR_CODE_SERVER_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/relu-doctor/code-server-$VERSION}"
STAMP="$DIR/.relu-doctor-stamp"
APT_PACKAGES="chromium libkrb5-dev libsecret-1-dev libx11-dev libxkbfile-dev ripgrep"
NATIVE="kerberos node-pty @vscode/spdlog @vscode/deviceid @parcel/watcher native-watchdog"

log() { echo "setup-code-server: $*" >&2; }
die() { echo "setup-code-server: ERROR: $*" >&2; exit 1; }

CS="$DIR/node_modules/code-server"
VS="$CS/lib/vscode"

# Every native module code-server needs loads, and the server reports its version.
verify() {
  local m
  for m in $NATIVE; do
    (cd "$VS" && node -e "require('./node_modules/$m')" >/dev/null 2>&1) || { log "native module $m does not load"; return 1; }
  done
  (cd "$DIR" && node -e "require('./node_modules/argon2')" >/dev/null 2>&1) || { log "argon2 does not load"; return 1; }
  [ -x "$VS/node_modules/@vscode/ripgrep/bin/rg" ] || { log "ripgrep is missing"; return 1; }
  local v
  v="$(cd "$CS" && timeout 60 node out/node/entry.js --config /dev/null --version 2>/dev/null | tail -n 1)" || { log "code-server --version failed"; return 1; }
  case "$v" in "$VERSION "*) ;; *) log "unexpected version output: $v"; return 1 ;; esac
}

FORCE=0
[ "${1:-}" = "--force" ] && FORCE=1

# One setup at a time per cache folder (CI and a developer may share a machine).
mkdir -p "$(dirname "$DIR")"
exec 9>"$DIR.lock"
flock -w 600 9 || die "another setup has held $DIR.lock for 10 minutes"

if [ "$FORCE" = 0 ] && [ "$(cat "$STAMP" 2>/dev/null || true)" = "$VERSION" ]; then
  if verify; then
    log "code-server $VERSION ready (cached) in $DIR"
    echo "$DIR"
    exit 0
  fi
  log "cached install in $DIR is broken; reinstalling"
fi

# Debian packages: headers for the native modules, ripgrep, and Chromium for the browser side.
missing=""
for p in $APT_PACKAGES; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
if [ -n "$missing" ]; then
  if [ "$(id -u)" = 0 ]; then
    log "installing Debian packages:$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2 || die "apt-get update failed"
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing >&2 || die "apt-get install$missing failed"
  else
    die "missing Debian packages:$missing (run: sudo apt-get install -y$missing)"
  fi
fi
for tool in node npm make g++ python3; do command -v "$tool" >/dev/null || die "$tool is not on PATH"; done
case "$(node -p 'process.versions.node.split(".")[0]')" in
  20) ;;
  *) die "code-server $VERSION needs Node 20; this is $(node --version)" ;;
esac

GYP="$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")/node_modules/node-gyp/bin/node-gyp.js"
[ -f "$GYP" ] || GYP="$(npm root -g 2>/dev/null)/npm/node_modules/node-gyp/bin/node-gyp.js"
[ -f "$GYP" ] || die "cannot find npm's bundled node-gyp"
# Build against this Node's own headers (no header download): npm's nodedir if set, else the prefix.
NODEDIR="$(npm config get nodedir 2>/dev/null || true)"
case "$NODEDIR" in ''|undefined|null) NODEDIR="$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")" ;; esac
[ -f "$NODEDIR/include/node/node_api.h" ] || die "no Node headers under $NODEDIR/include/node (set npm's nodedir)"

start=$(date +%s)
log "installing code-server $VERSION into $DIR"
# Build in a staging folder and move it into place at the end, so that a half-made install is never
# seen under $DIR (by a concurrent test run, or after an interrupted setup).
FINAL="$DIR"
DIR="$FINAL.staging"
CS="$DIR/node_modules/code-server"
VS="$CS/lib/vscode"
rm -rf "$DIR"
mkdir -p "$DIR"
echo '{ "name": "relu-doctor-code-server-cache", "private": true }' > "$DIR/package.json"
(cd "$DIR" && npm install --ignore-scripts --no-audit --no-fund --no-save --loglevel=error "code-server@$VERSION" >&2) \
  || die "npm install code-server@$VERSION failed"
(cd "$VS" && npm install --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error >&2) \
  || die "npm install in code-server's lib/vscode failed"

# What code-server's own postinstall would do (we skip it: it rebuilds and downloads).
ln -sfn node_modules "$VS/node_modules.asar"
(cd "$VS/bin/remote-cli" && ln -sfn code-linux.sh code-server)
(cd "$VS/bin/helpers" && ln -sfn browser-linux.sh browser.sh)
mkdir -p "$VS/node_modules/@vscode/ripgrep/bin"
cp "$(command -v rg)" "$VS/node_modules/@vscode/ripgrep/bin/rg"

gyp() { # gyp MODULE_DIR [extra node-gyp args...]
  local dir="$1"; shift
  local name; name="$(basename "$dir")"
  log "building $name"
  (cd "$dir" && node "$GYP" rebuild --nodedir="$NODEDIR" -j 2 "$@" >"$DIR/gyp-$name.log" 2>&1) \
    || { tail -n 30 "$DIR/gyp-$name.log" >&2; die "node-gyp failed for $dir (log: $DIR/gyp-$name.log)"; }
}
for m in $NATIVE; do
  if ! (cd "$VS" && node -e "require('./node_modules/$m')" >/dev/null 2>&1); then gyp "$VS/node_modules/$m"; fi
done
if ! (cd "$DIR" && node -e "require('./node_modules/argon2')" >/dev/null 2>&1); then
  # argon2 is built by node-pre-gyp; give node-gyp the variables node-pre-gyp would.
  gyp "$DIR/node_modules/argon2" --module_name=argon2 --module_path="$DIR/node_modules/argon2/lib/binding/napi-v3" --napi_build_version=3
fi

verify || die "the fresh install does not work (see messages above)"
echo "$VERSION" > "$DIR/.relu-doctor-stamp"
rm -rf "$FINAL"
mv "$DIR" "$FINAL"
log "code-server $VERSION installed in $FINAL in $(( $(date +%s) - start )) s ($(du -sh "$FINAL" | cut -f1))"
echo "$FINAL"
