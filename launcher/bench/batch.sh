#!/usr/bin/env bash
# Throughput of memory-aware admission: the same mixed workload of example jobs run twice
# under one fixed budget — static slots (--slot-mb, default 2 GB of an 8 GB budget) vs
# predicted caps — reporting
# makespan, jobs per hour, OOM kills and peak committed memory. The figures in the README come
# from here.
#
#   bash launcher/bench/batch.sh      # after `mvn -B package -DskipTests`
#   BUDGET_MB=4096 SLOT_MB=2048 bash launcher/bench/batch.sh
#
# The history needed for predicted caps is built first by a dry-run warm-up of the same jobs.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
launch=$root/launcher/target/forge-launch
[ -x "$launch" ] || { echo "build first: mvn -B package -DskipTests" >&2; exit 1; }
budget=${BUDGET_MB:-8192}
slot=${SLOT_MB:-2048}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export FORGE_HOME=$work/home
scripts=$root/examples/scripts
python3 "$scripts/make_inputs.py" "$work/in" 10 40 80 >/dev/null
jobs=$work/jobs.txt
# A mixed workload: I/O-bound annotation jobs (low CPU, a few seconds each) beside CPU-bound
# analyses. Static slots admit budget/slot jobs at once; predicted caps admit what fits in
# memory and in the cores' predicted load.
for s in 10 40 80; do
  for rep in 1 2 3 4; do
    echo "python3 $scripts/annotate.py $work/in/text-$s.txt 20 0.1" >> "$jobs"
  done
done
# shellcheck source=launcher/bench/analyses.sh
. "$root/launcher/bench/analyses.sh"
for s in 10 40; do
  for rep in 1 2; do
    analyses "$scripts" "$work/in" "$s" >> "$jobs"
  done
done
echo "warm-up: $(wc -l < "$jobs") jobs in dry-run to build the history" >&2
while read -r job; do
  # shellcheck disable=SC2086
  "$launch" --quiet -- $job >/dev/null 2>&1 || true
done < "$jobs"
echo "static ${slot} MB slots under ${budget} MB:" >&2
static=$("$launch" batch "$jobs" --budget-mb "$budget" --slot-mb "$slot" --json)
echo "predicted caps under ${budget} MB:" >&2
predicted=$("$launch" batch "$jobs" --budget-mb "$budget" --json)
python3 - "$static" "$predicted" "$budget" "$slot" <<'PY'
import json, sys
s, p = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print(f"{'policy':34} {'jobs':>5} {'makespan s':>11} {'jobs/h':>8} {'OOM kills':>10} {'peak committed MB':>18}")
for name, r in ((f"static {sys.argv[4]} MB slots", s), ("predicted caps (enforce)", p)):
    print(f"{name:34} {r['jobs']:>5} {r['makespan_seconds']:>11.1f} {r['jobs_per_hour']:>8.0f} {r['oom_kills']:>10} {r['peak_committed_mb']:>18}")
print(f"budget {sys.argv[3]} MB; speed-up {s['makespan_seconds'] / p['makespan_seconds']:.2f}x")
PY
