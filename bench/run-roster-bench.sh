#!/usr/bin/env bash
# Runs the Curtois benchmark: our solver and/or the CP-SAT peer, all 24 instances, at the
# given time limits. One JSON line per run is appended to bench/results/<solver>-<secs>s.jsonl
# and each roster is re-checked with `urenwinst roster check`.
#
#   bench/setup-venv.sh                       # once: venv with ortools in bench/.venv
#   bench/run-roster-bench.sh both 10 60      # solvers: ours | cpsat | both; then time limits
#
# Environment: CURTOIS_DIR (default ../shared/bench/roster/curtois next to the repo),
# URENWINST (default target/release/urenwinst), SEED (default 1), INSTANCES (default 1..24).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$here")"
which="${1:-both}"; shift || true
limits=("${@:-10 60}")
data="${CURTOIS_DIR:-$repo/../shared/bench/roster/curtois}"
bin="${URENWINST:-$repo/target/release/urenwinst}"
seed="${SEED:-1}"
instances="${INSTANCES:-$(seq 1 24)}"
out="$here/results"
mkdir -p "$out/rosters"
for secs in ${limits[@]}; do
  for i in $instances; do
    inst="$data/Instance$i.txt"
    if [ "$which" = ours ] || [ "$which" = both ]; then
      r="$out/rosters/ours-$secs-$i.csv"
      "$bin" roster solve "$inst" --seconds "$secs" --seed "$seed" --out "$r" >> "$out/ours-${secs}s.jsonl"
      "$bin" roster check "$inst" "$r" > "$out/rosters/ours-$secs-$i.check" || true
    fi
    if [ "$which" = cpsat ] || [ "$which" = both ]; then
      r="$out/rosters/cpsat-$secs-$i.csv"
      "$here/.venv/bin/python" "$here/cpsat_roster.py" "$inst" --seconds "$secs" --workers 2 --seed "$seed" --out "$r" >> "$out/cpsat-${secs}s.jsonl"
      if [ -s "$r" ] && [ -x "$bin" ]; then
        "$bin" roster check "$inst" "$r" > "$out/rosters/cpsat-$secs-$i.check" || true
      fi
    fi
    echo "$(date -u +%H:%M:%S) done $which $secs s Instance$i load $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/progress.log"
  done
done
