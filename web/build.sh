#!/usr/bin/env bash
# Builds the web portal into web/dist (what the local gateway serves at /, and what is deployed
# to the bucket, see README.md):
#   web/build.sh
# Installs web/node_modules with `npm ci` from the committed package-lock.json first, only when
# the lockfile changed since the last install (a stamp inside node_modules says so). npm's
# download cache is a throwaway directory: nothing is kept outside the repo. playwright-core (for
# the browser tests) never downloads a browser: the tests drive Debian's Chromium
# (web/install-chromium.sh).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
say() { printf 'web/build.sh: %s\n' "$*"; }

# Vite 8 needs Node.js 20.19 or later.
if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)'; then
    say "Node.js 20.19 or later is needed (found $(node --version 2>/dev/null || echo none))" >&2
    exit 1
fi

stamp="$here/node_modules/.package-lock.sha256"
hash="$(sha256sum "$here/package-lock.json" | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$hash" ]; then
    say "installing npm packages (npm ci)"
    npm_cache="$(mktemp -d)"
    trap 'rm -rf "$npm_cache"' EXIT
    (cd "$here" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error --cache "$npm_cache")
    echo "$hash" >"$stamp"
fi

say "type-checking and building web/dist"
(cd "$here" && npm run --silent build -- --logLevel warn)
# The GC Design System's fonts and icons are bundled (src/gcds-fonts.css, the gcds-offline plugin
# in vite.config.ts): nothing in the build may load them from elsewhere at run time.
if grep -rlE 'fonts\.googleapis\.com|fonts\.gstatic\.com|cdn\.design-system\.canada\.ca' "$here/dist" >&2; then
    say "web/dist loads fonts or icons from another origin (files above)" >&2
    exit 1
fi
say "built $(find "$here/dist" -type f | wc -l) files in web/dist"
