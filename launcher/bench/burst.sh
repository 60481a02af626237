#!/usr/bin/env bash
# A burst of concurrent launches across the spool's ingestion threshold (100 spooled runs),
# with the dashboard serving the same home: N launches of `sleep 2` start at once, first 99
# (never crossing the threshold), then 100 (crossing it). For each: the wall time of the whole
# burst, how many launchers printed a lock message, and the time the dashboard page took to
# answer, polled every 0.25 s during the burst. The README's burst figures come from here.
#
#   bash launcher/bench/burst.sh          # after `mvn -B package -DskipTests`
#   SIZES="50 99 100 150" bash launcher/bench/burst.sh
#
# Needs curl and python3.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
jar=$root/launcher/target/forge-launch.jar
sizes=${SIZES:-99 100}
[ -f "$jar" ] || { echo "missing $jar: run mvn -B package -DskipTests first" >&2; exit 1; }
command -v curl >/dev/null || { echo "curl not found (apt-get install curl)" >&2; exit 1; }

work=$(mktemp -d)
serve_pid=
poll_pid=
cleanup() {
  [ -n "$poll_pid" ] && kill "$poll_pid" 2>/dev/null || true
  [ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null && wait "$serve_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

printf '%-6s %8s %14s %10s %10s %8s\n' launches "wall s" "lock messages" "page p50" "page max" polls
for n in $sizes; do
  export FORGE_HOME=$work/home-$n
  mkdir -p "$FORGE_HOME"
  port=$(free_port)
  java -jar "$jar" serve --port "$port" >"$work/serve-$n.log" 2>&1 &
  serve_pid=$!
  for _ in $(seq 100); do
    curl -sf -o /dev/null "http://127.0.0.1:$port/healthz" && break
    sleep 0.1
  done
  : >"$work/page-$n.txt"
  (while true; do
     curl -s -o /dev/null -w '%{time_total}\n' --max-time 60 \
       "http://127.0.0.1:$port/forge/resource-predictor" >>"$work/page-$n.txt" || true
     sleep 0.25
   done) &
  poll_pid=$!
  start=$(date +%s.%N)
  pids=()
  for i in $(seq "$n"); do
    java -jar "$jar" --quiet --analysis-id burst -- sleep 2 2>"$work/err-$n-$i.txt" &
    pids+=($!)
  done
  failed=0
  for p in "${pids[@]}"; do wait "$p" || failed=$((failed + 1)); done
  end=$(date +%s.%N)
  sleep 0.5
  kill "$poll_pid"; wait "$poll_pid" 2>/dev/null || true; poll_pid=
  kill "$serve_pid"; wait "$serve_pid" 2>/dev/null || true; serve_pid=
  locks=$(cat "$work"/err-"$n"-*.txt | grep -c 'cannot lock' || true)
  [ "$failed" -eq 0 ] || echo "  $failed launches exited non-zero" >&2
  python3 - "$n" "$start" "$end" "$locks" "$work/page-$n.txt" <<'PY'
import statistics, sys
n, start, end, locks, page = sys.argv[1:]
times = sorted(float(t) for t in open(page) if t.strip())
p50 = statistics.median(times) if times else float("nan")
top = times[-1] if times else float("nan")
print(f"{n:<6} {float(end) - float(start):8.1f} {locks:>14} {p50:10.3f} {top:10.3f} {len(times):8}")
PY
done
