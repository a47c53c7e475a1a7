#!/usr/bin/env bash
# The HTML report's tests open it in headless Chromium (Debian's chromium) driven by Playwright from npm
# (src/test/browser); the export tests import files into speedscope (its npm package, opened in that Chromium).
# Idempotent: installs only what is missing; never downloads a browser build of its own.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
if [ ! -x /usr/bin/chromium ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq chromium >/dev/null
fi
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq nodejs npm >/dev/null
fi
if [ ! -d "$root/src/test/browser/node_modules/playwright-core" ] || [ ! -d "$root/src/test/browser/node_modules/speedscope" ]; then
  npm ci --prefix "$root/src/test/browser" --no-audit --no-fund --loglevel=error
fi
