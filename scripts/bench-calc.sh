#!/usr/bin/env bash
# Load benchmark of the WerkUrenBerekenaar: POST /api/v1/calc (scripts/calc-post.lua) and
# the page GET /berekenaar?… for the same household, with wrk on this machine (server and
# load generator share it). Nothing is stored, so the database does not matter (SQLite).
# Usage: scripts/bench-calc.sh [seconds]   (needs wrk; CARGO_TARGET_DIR picks the build)
# Prints one markdown table row per path for docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-10}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-target}"
cargo build --release -p urenwinst -q
bin="$CARGO_TARGET_DIR/release/urenwinst"
work=$(mktemp -d)
port=18191
base="http://127.0.0.1:$port"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
URENWINST_LOG=warn URENWINST_DATA_DIR="$work" "$bin" migrate > /dev/null
URENWINST_LOG=warn URENWINST_DATA_DIR="$work" "$bin" serve --addr "127.0.0.1:$port" > /dev/null 2>&1 &
for _ in $(seq 100); do curl -sf "$base/healthz" > /dev/null && break; sleep 0.1; done

row() {
  local label="$1" out rps p50 p99 errors
  out="$2"
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
  errors=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
  echo "| $label | $rps | $p50 | $p99 | ${errors:-0} |"
}

# One request first: the API must answer 200 with scenarios, or the figures mean nothing.
status=$(curl -s -o "$work/check.json" -w '%{http_code}' -H 'Content-Type: application/json' \
  --data-binary "$(sed -n '/^wrk.body = \[\[/,/\]\]$/p' scripts/calc-post.lua | sed 's/^wrk.body = \[\[//; s/\]\]$//')" \
  "$base/api/v1/calc")
[ "$status" = 200 ] && grep -q '"scenarios"' "$work/check.json" || { echo "API check failed: $status" >&2; exit 1; }

page="/berekenaar?jaar=2026&loonsoort=uur&uurloon=22%2C50&uren=24&meer=32&vakantiegeld=ja&pensioen=pfzw&huishouden=ouder&kind1=2&opvang1=dagopvang&opvanguren1=80&opvangprijs1=10%2C50&kind2=6&opvang2=bso&opvanguren2=40&opvangprijs2=9%2C50&huur=850"
echo "| path | requests/s | p50 | p99 | non-2xx |"
echo "|---|---|---|---|---|"
row "POST /api/v1/calc" "$(wrk -t2 -c16 -d"${secs}s" --latency -s scripts/calc-post.lua "$base/api/v1/calc")"
row "GET /berekenaar (page: scenario + 0–40 h curve + chart)" "$(wrk -t2 -c16 -d"${secs}s" --latency "$base$page")"
