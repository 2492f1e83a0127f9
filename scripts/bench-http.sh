#!/usr/bin/env bash
# Load benchmark of a logged-in page (/dashboard) and an API read (/api/v1/organisations)
# on SQLite and PostgreSQL, with wrk on this machine (server and load generator share it).
# Usage: scripts/bench-http.sh [seconds]   (needs wrk: apt-get install wrk)
# Prints one markdown table row per backend and path for docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-15}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-target}"
cargo build --release -p urenwinst -q
bin="$CARGO_TARGET_DIR/release/urenwinst"
pg_server="${URENWINST_BENCH_POSTGRES:-postgres://root@127.0.0.1:5432/test}"
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

run_backend() {
  local name="$1" url="$2" port="$3"
  local base="http://127.0.0.1:$port"
  URENWINST_LOG=warn DATABASE_URL="$url" "$bin" demo > "$work/demo-$name.txt"
  URENWINST_LOG=warn DATABASE_URL="$url" "$bin" serve --addr "127.0.0.1:$port" > /dev/null 2>&1 &
  for _ in $(seq 100); do curl -sf "$base/healthz" > /dev/null && break; sleep 0.1; done
  local password jar csrf session token
  password=$(awk '/programma@urenwinst.example/ {print $NF}' "$work/demo-$name.txt")
  jar="$work/jar-$name"
  csrf=$(curl -s -c "$jar" "$base/inloggen" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -n 1)
  curl -s -b "$jar" -c "$jar" -o /dev/null --data-urlencode "email=programma@urenwinst.example" \
    --data-urlencode "password=$password" --data-urlencode "csrf=$csrf" "$base/inloggen"
  session=$(awk '$6 == "uw_sessie" {print $7}' "$jar")
  csrf=$(curl -s -b "$jar" "$base/account" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -n 1)
  token=$(curl -s -b "$jar" --data-urlencode "name=bench" --data-urlencode "csrf=$csrf" "$base/account/sleutels" \
    | sed -n 's/.*id="geheim">\(uw_[0-9a-f]*\)<.*/\1/p')
  [ -n "$session" ] && [ -n "$token" ] || { echo "login or token failed for $name" >&2; exit 1; }
  bench "$name" "$base/dashboard" "Cookie: uw_sessie=$session"
  bench "$name" "$base/api/v1/organisations" "Authorization: Bearer $token"
  kill %% 2>/dev/null || true
  wait 2>/dev/null || true
}

bench() {
  local name="$1" target="$2" header="$3" out
  out=$(wrk -t2 -c16 -d"${secs}s" --latency -H "$header" "$target")
  local rps p50 p99 errors
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
  errors=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
  echo "| $name | ${target#http://127.0.0.1:*/} | $rps | $p50 | $p99 | ${errors:-0} |"
}

echo "| backend | path | requests/s | p50 | p99 | non-2xx |"
echo "|---|---|---|---|---|---|"
run_backend sqlite "sqlite://$work/bench.sqlite" 18181
db="urenwinst_bench_$$"
psql "$pg_server" -qc "CREATE DATABASE $db" > /dev/null
run_backend postgres "${pg_server%/*}/$db" 18182
psql "$pg_server" -qc "DROP DATABASE $db WITH (FORCE)" > /dev/null
