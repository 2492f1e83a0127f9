#!/usr/bin/env bash
# Create the Python virtual environment for the CP-SAT peer (gitignored: bench/.venv).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="${BENCH_VENV:-$here/.venv}"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/pip" install --quiet --upgrade pip
"$venv/bin/pip" install --quiet "ortools>=9.10,<10"
"$venv/bin/python" -c 'import ortools; print("ortools", ortools.__version__)'
