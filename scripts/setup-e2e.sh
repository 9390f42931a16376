#!/usr/bin/env bash
# Install what the end-to-end tests drive: Debian's Chromium, Neovim and ripgrep, and
# code-server + playwright-core (versions pinned in tests/e2e/package.json) into .cache/e2e/.
# Idempotent: a second run only checks, so `make test` can call it every time.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
cache="$repo/.cache/e2e"
manifest="$repo/tests/e2e/package.json"
started=$SECONDS

step() { printf 'setup-e2e: %-44s %4ds\n' "$1" $((SECONDS - started)); }

# --- Debian packages -------------------------------------------------------------------
# chromium: the browser; neovim: the second LSP client; python3: Debian's own Python, the
# externally managed interpreter the one-click install starts from (python3-venv deliberately
# left out, as on a stock Debian or Ubuntu: the extension needs no ensurepip); the rest build
# code-server's native modules (libkrb5-dev for kerberos' gssapi.h) and stand in for
# @vscode/ripgrep's download.
apt_packages=(chromium neovim build-essential pkg-config python3 libkrb5-dev ripgrep)
missing=()
for package in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if ((${#missing[@]})); then
  sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  echo "setup-e2e: installing Debian packages: ${missing[*]}"
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
  step "apt-get install ${#missing[@]} package(s)"
else
  step "Debian packages present"
fi

# --- code-server + playwright-core -----------------------------------------------------
stamp="$cache/node_modules/.installed"
want=$(sha256sum "$manifest" | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] \
  && [ -x "$cache/node_modules/.bin/code-server" ] \
  && [ -d "$cache/node_modules/playwright-core" ]; then
  step "code-server + playwright-core present"
else
  mkdir -p "$cache/tmp"
  cp "$manifest" "$cache/package.json"
  # @vscode/ripgrep's postinstall downloads rg unless its cache already holds the asset:
  # give it Debian's rg under the asset name it looks for.
  ripgrep_cache="$cache/tmp/vscode-ripgrep-cache-1.15.11"
  asset="$ripgrep_cache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
  if [ ! -f "$asset" ]; then
    mkdir -p "$ripgrep_cache/pack"
    cp "$(command -v rg)" "$ripgrep_cache/pack/rg"
    tar -C "$ripgrep_cache/pack" -czf "$asset" rg
    rm -rf "$ripgrep_cache/pack"
  fi
  (
    cd "$cache"
    export TMPDIR="$cache/tmp"
    export npm_config_nodedir=/usr  # Debian ships the node headers; node-gyp needs no download
    export npm_config_yes=true      # node-pty's postinstall runs `npx node-gyp`
    npm install --no-audit --no-fund --no-package-lock --loglevel=error --unsafe-perm
  )
  [ -x "$cache/node_modules/.bin/code-server" ] || { echo "setup-e2e: code-server did not install" >&2; exit 1; }
  echo "$want" >"$stamp"
  step "npm install code-server + playwright-core"
fi

# code-server writes a default config under $HOME even for --version: keep it in the cache.
HOME="$cache/tmp" XDG_CONFIG_HOME="$cache/tmp" "$cache/node_modules/.bin/code-server" --version 2>/dev/null \
  | tail -1 | sed 's/^/setup-e2e: code-server /'
nvim --version | head -1 | sed 's/^/setup-e2e: /'
chromium --version 2>/dev/null | sed 's/^/setup-e2e: /'
step "done"
