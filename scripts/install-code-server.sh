#!/usr/bin/env bash
# Installs what the end-to-end tests (test/e2e/) need to run the extension inside
# a real VS Code on this machine: code-server (VS Code's server and web workbench,
# from the npm registry) and Debian's Chromium to drive it with playwright-core.
#
# Idempotent: when everything is already there it checks, prints nothing and
# exits in about a tenth of a second. `npm test` (scripts/test.mjs) runs it before
# the tests, so the first run installs; safe to run by hand. See ../shared/notes/vscode-e2e.md
# for why the install goes this way (no download but the npm registry and apt).
#
#   bash scripts/install-code-server.sh          # install or check
#   RENACER_CODE_SERVER_DIR=/some/dir bash ...   # install somewhere else
#   bash scripts/install-code-server.sh --force  # reinstall code-server
set -euo pipefail

CODE_SERVER_VERSION=4.100.3 # VS Code 1.100.3; the newest that runs on Node 20
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="${RENACER_CODE_SERVER_DIR:-$root/.vscode-test/code-server}"
force=0
[[ "${1:-}" == "--force" ]] && force=1

# shellcheck source=debian-packages.sh
source "$root/scripts/debian-packages.sh"

log() { printf '[install-code-server] %s\n' "$*" >&2; }

# --- Debian packages -------------------------------------------------------------
packages=(
  libkrb5-dev    # code-server's native module `kerberos` builds against it
  ripgrep        # VS Code's search; linked in place of @vscode/ripgrep's download
  chromium       # the browser the tests drive (playwright-core, executablePath)
  fonts-dejavu-core # readable text in screenshots
  git            # the built-in git extension looks for it (quiet log)
  g++ make python3 pkg-config # node-gyp rebuilds (node-pty, spdlog, kerberos, argon2…)
)
find_missing_packages "${packages[@]}"
if ((${#missing[@]} > 0)); then
  log "apt-get install ${missing[*]}"
  apt_install "${missing[@]}" >/dev/null
fi

# --- code-server -----------------------------------------------------------------
# The stamp names the version and the Node ABI the native modules were built for;
# it is written last, so an interrupted install is redone from scratch.
abi="$(node -p 'process.versions.modules')"
stamp="$dir/.installed"
want="code-server@$CODE_SERVER_VERSION node-abi=$abi"
cs="$dir/node_modules/code-server"
if ((force == 0)) && [[ -f "$stamp" && "$(cat "$stamp")" == "$want" && -f "$cs/out/node/entry.js" ]]; then
  exit 0
fi

node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [[ "$node_major" != 20 ]]; then
  log "code-server@$CODE_SERVER_VERSION needs Node 20 (this is Node $node_major)"
  exit 1
fi

log "installing code-server@$CODE_SERVER_VERSION into $dir (a few minutes the first time)"
rm -rf "$dir"
mkdir -p "$dir"
# Its own package.json, so npm does not walk up to the project's.
printf '{ "name": "renacer-e2e-code-server", "private": true }\n' >"$dir/package.json"

export npm_config_yes=true # node-pty's install script runs `npx node-gyp`
# node-gyp must build against this Node's own headers: it cannot download them.
if [[ -z "${npm_config_nodedir:-}" && -z "$(npm config get nodedir 2>/dev/null | grep -v '^undefined$')" ]]; then
  prefix="$(cd "$(dirname "$(readlink -f "$(command -v node)")")/.." && pwd)"
  if [[ -f "$prefix/include/node/node.h" ]]; then
    export npm_config_nodedir="$prefix"
  else
    log "warning: no Node headers under $prefix/include/node; node-gyp may try to download them"
  fi
fi
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
npmq() { npm --loglevel=error "$@" >/dev/null; }

# code-server's postinstall refuses root and downloads ripgrep: do its steps here.
cd "$dir"
npmq install --ignore-scripts --no-package-lock "code-server@$CODE_SERVER_VERSION"

cd "$cs/lib/vscode"
npmq install --omit=dev --ignore-scripts
# @vscode/ripgrep's postinstall skips its download when bin/ exists.
mkdir -p node_modules/@vscode/ripgrep/bin
ln -sf "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
npmq rebuild
ln -sfn node_modules node_modules.asar
(cd bin/remote-cli && ln -sf code-linux.sh code-server)
(cd bin/helpers && ln -sf browser-linux.sh browser.sh)

cd "$cs/lib/vscode/extensions"
npmq install --omit=dev --ignore-scripts
npmq rebuild

cd "$dir"
npmq rebuild argon2

# Smoke check: the server starts far enough to print its version.
# (--config and XDG_DATA_HOME keep it from writing into ~/.config and ~/.local.)
version="$(XDG_DATA_HOME="$dir/.smoke" node "$cs/out/node/entry.js" --config /dev/null --version 2>/dev/null | tail -1)"
rm -rf "$dir/.smoke"
if [[ "$version" != "$CODE_SERVER_VERSION"* ]]; then
  log "code-server does not start (--version printed: '$version')"
  exit 1
fi
printf '%s' "$want" >"$stamp"
log "installed: code-server $version"
