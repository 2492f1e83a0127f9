#!/usr/bin/env bash
# Installs what the test suite needs beyond the Rust toolchain, when missing:
# Debian's Chromium (for the headless browser tests) and the pinned npm packages of
# tests/browser (playwright-core drives the system Chromium; it downloads no browser).
set -euo pipefail
cd "$(dirname "$0")/.."

# The build's own needs first (cmake and libclang for the HiGHS solver).
bash scripts/install-build-deps.sh

if ! command -v chromium >/dev/null 2>&1; then
  echo "installing chromium (Debian package)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium >/dev/null
fi

if [ ! -d tests/browser/node_modules/playwright-core ]; then
  echo "installing tests/browser npm packages"
  (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
fi
