#!/usr/bin/env bash
# Measures the two README commands from a fresh clone, cold: the time until the first page
# of `./urenwinst serve --demo` answers, then the time of `./urenwinst test`.
# Usage: scripts/measure-fresh-clone.sh [WORKDIR]   (default /tmp/urenwinst-fresh)
# It clones this checkout's HEAD into WORKDIR/main, links ../shared beside it, and builds
# in the clone's own target directory (nothing prebuilt). Results: WORKDIR/times.txt.
set -uo pipefail
src="$(cd "$(dirname "$0")/.." && pwd)"
work="${1:-/tmp/urenwinst-fresh}"
rm -rf "$work" && mkdir -p "$work"
git clone -q "$src" "$work/main"
ln -s "$src/../shared" "$work/shared"
cd "$work/main"
unset CARGO_TARGET_DIR
t0=$(date +%s)
./urenwinst serve --demo --addr 127.0.0.1:18090 --data-dir "$work/data" > "$work/serve.log" 2>&1 &
until curl -s -o /dev/null http://127.0.0.1:18090/berekenaar; do sleep 2; done
t1=$(date +%s)
echo "first page after $((t1 - t0)) s" | tee "$work/times.txt"
pkill -f "127.0.0.1:18090"
sleep 2
t2=$(date +%s)
./urenwinst test > "$work/test.log" 2>&1
rc=$?
t3=$(date +%s)
echo "test command rc=$rc after $((t3 - t2)) s" | tee -a "$work/times.txt"
