#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests (web/e2e), only when /usr/bin/chromium is
# missing. Playwright (playwright-core) drives this browser: no browser is ever downloaded by npm.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
    exit 0
fi
echo "install-chromium: installing Debian's chromium"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -q
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends chromium fonts-dejavu-core
