#!/usr/bin/env bash
# Installs what the test suite needs beyond the Rust toolchain, when missing:
# Node.js with npm and Debian's Chromium (for the headless browser tests), and the pinned
# npm packages of tests/browser (playwright-core drives the system Chromium; it downloads
# no browser). Says what it installs; uses sudo only when not root.
set -euo pipefail
cd "$(dirname "$0")/.."

# The build's own needs first (cmake and libclang for the HiGHS solver).
bash scripts/install-build-deps.sh

if [ "${URENWINST_SKIP_BROWSER:-}" = "1" ] || [ "${URENWINST_SKIP_BROWSER:-}" = "true" ]; then
  echo "URENWINST_SKIP_BROWSER is set: not installing Chromium and the browser-test packages"
  exit 0
fi

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "missing for the browser tests: ${missing[*]}; install them, or set URENWINST_SKIP_BROWSER=1" >&2
    exit 1
  fi
  echo "installing ${missing[*]} (Debian packages, for the headless browser tests)"
  export DEBIAN_FRONTEND=noninteractive
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ ! -d tests/browser/node_modules/playwright-core ] || [ ! -d tests/browser/node_modules/axe-core ]; then
  echo "installing tests/browser npm packages (playwright-core and axe-core, pinned in package-lock.json)"
  (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
fi
