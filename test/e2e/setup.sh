#!/usr/bin/env bash
# Prepare a real VS Code (code-server 4.100.3) for the end-to-end tests.
#
# Unattended and idempotent: installs the Debian packages that are missing,
# then installs code-server into a cache folder outside the repository
# (${MLOPS_E2E_CACHE:-$HOME/.cache/mlops-workbench/code-server-4.100.3}) and
# performs code-server's postinstall by hand (its own script downloads ripgrep
# from a host that is not reachable here). See docs/testing.md (section End-to-end setup).
# When the cache is complete it is reused as is. Prints the code-server binary
# path on the last line of stdout.
set -euo pipefail

CS_VERSION=4.100.3
CACHE="${MLOPS_E2E_CACHE:-$HOME/.cache/mlops-workbench/code-server-${CS_VERSION}}"
CS_DIR="$CACHE/node_modules/code-server"
# The npm package has no bin/ folder of its own; npm links its bin here.
CS_LAUNCHER="$CACHE/node_modules/.bin/code-server"
VSCODE_DIR="$CS_DIR/lib/vscode"
MARKER="$CACHE/.mlops-complete"

log() { printf '[e2e-setup] %s\n' "$*" >&2; }
die() { printf '[e2e-setup] ERROR: %s\n' "$*" >&2; exit 1; }

export DEBIAN_FRONTEND=noninteractive
# npm must never prompt (no stdin in CI); node-pty's build runs `npx node-gyp`.
export npm_config_yes=true
export npm_config_fund=false
export npm_config_audit=false
export npm_config_update_notifier=false
export npm_config_progress=false
# Never inherit a global "ignore-scripts" for the rebuild steps (set per command below).
unset npm_config_ignore_scripts || true

# `code-server --version` prints e.g. "4.100.3 409c64e... with Code 1.100.3".
# --config keeps it from writing a default config into ~/.config/code-server.
cached_version() {
  [ -x "$CS_LAUNCHER" ] || return 1
  "$CS_LAUNCHER" --config "$CACHE/code-server-config.yaml" --version 2>/dev/null \
    | awk '$1 ~ /^[0-9]+\.[0-9]+\.[0-9]+$/ {print $1; exit}'
}

# ---------------------------------------------------------------- Debian packages
# `dpkg -s` also succeeds for removed packages whose config files remain, so
# look at the status itself.
installed() {
  [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" = "install ok installed" ]
}
missing=()
for pkg in chromium libkrb5-dev ripgrep python3; do
  if ! installed "$pkg"; then
    missing+=("$pkg")
  fi
done
if ! command -v python3 >/dev/null 2>&1 && [[ ! " ${missing[*]-} " == *" python3 "* ]]; then
  missing+=(python3)
fi
if [ "${#missing[@]}" -gt 0 ]; then
  [ "$(id -u)" = 0 ] || die "missing Debian packages (${missing[*]}) and not root; install them first"
  log "apt-get install ${missing[*]}"
  apt-get update -q >&2
  apt-get install -y -q "${missing[@]}" >&2
fi
[ -x /usr/bin/chromium ] || die "/usr/bin/chromium not found after installing chromium"
[ -x /usr/bin/rg ] || die "/usr/bin/rg not found after installing ripgrep"
command -v make >/dev/null 2>&1 && command -v g++ >/dev/null 2>&1 \
  || die "a C++ toolchain (make, g++) is needed to build code-server's native modules"

# ---------------------------------------------------------------- code-server
if [ -f "$MARKER" ] && [ "$(cached_version || true)" = "$CS_VERSION" ]; then
  log "reusing complete cache $CACHE"
  echo "$CS_LAUNCHER"
  exit 0
fi

# Start an incomplete earlier attempt over: the steps below are only
# idempotent from a clean folder. Only remove what this script creates, in
# case MLOPS_E2E_CACHE points at a folder holding other things.
rm -f "$MARKER"
if [ -e "$CACHE/node_modules" ]; then
  log "discarding incomplete install in $CACHE"
fi
rm -rf "$CACHE/node_modules" "$CACHE/package.json" "$CACHE/package-lock.json" \
       "$CACHE/code-server-config.yaml"
mkdir -p "$CACHE"
start=$(date +%s)

# A private package.json makes the cache folder its own npm project, so npm
# does not walk up into some other project's package.json.
cat >"$CACHE/package.json" <<'JSON'
{
  "name": "mlops-workbench-code-server-cache",
  "private": true,
  "description": "Cache for the MLOps Workbench end-to-end tests (test/e2e/setup.sh)"
}
JSON

# Runs npm with install scripts explicitly enabled: npm 11 applies an
# "allowScripts" policy to install/rebuild; the packages built here are
# code-server's own pinned dependencies, so bypass the policy for them.
npm_build() {
  npm --ignore-scripts=false --dangerously-allow-all-scripts=true "$@"
}

log "npm install code-server@$CS_VERSION --ignore-scripts (in $CACHE)"
(cd "$CACHE" && npm install "code-server@$CS_VERSION" --ignore-scripts >&2)
[ -d "$VSCODE_DIR" ] || die "code-server package has no lib/vscode"

log "lib/vscode: npm install --omit=dev --ignore-scripts"
(cd "$VSCODE_DIR" && npm install --omit=dev --ignore-scripts >&2)

log "lib/vscode: ripgrep from /usr/bin/rg"
mkdir -p "$VSCODE_DIR/node_modules/@vscode/ripgrep/bin"
cp /usr/bin/rg "$VSCODE_DIR/node_modules/@vscode/ripgrep/bin/rg"
chmod +x "$VSCODE_DIR/node_modules/@vscode/ripgrep/bin/rg"

log "lib/vscode: npm rebuild (native modules)"
(cd "$VSCODE_DIR" && npm_build rebuild --foreground-scripts >&2)

ln -sfn node_modules "$VSCODE_DIR/node_modules.asar"

log "lib/vscode/extensions: npm install --omit=dev"
(cd "$VSCODE_DIR/extensions" && npm_build install --omit=dev >&2)

log "npm rebuild argon2"
(cd "$CACHE" && npm_build rebuild argon2 --foreground-scripts >&2)

# ---------------------------------------------------------------- verify
# npm only warns when it skips an install script, so check the result: every
# native module code-server's server needs must load in this Node.
log "verifying native modules"
(cd "$VSCODE_DIR" && node -e '
  const mods = ["node-pty", "@vscode/spdlog", "@parcel/watcher", "kerberos",
                "native-watchdog", "@vscode/deviceid"];
  let failed = 0;
  for (const m of mods) {
    try { require(m); } catch (e) { failed++; console.error("not loadable: " + m + ": " + e.message); }
  }
  process.exit(failed ? 1 : 0);
' >&2) || die "native modules of lib/vscode did not build (see above)"
(cd "$CACHE" && node -e 'require("argon2")' >&2) || die "argon2 native module did not build"

version=$(cached_version || true)
[ "$version" = "$CS_VERSION" ] || die "code-server --version printed '$version', expected $CS_VERSION"

date -u +%Y-%m-%dT%H:%M:%SZ >"$MARKER"
log "code-server $CS_VERSION ready in $(( $(date +%s) - start ))s: $CS_LAUNCHER"
echo "$CS_LAUNCHER"
