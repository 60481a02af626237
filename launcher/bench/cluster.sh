#!/usr/bin/env bash
# Memory reserved on a Slurm cluster: the same example jobs submitted with a typical fixed
# --mem (plain sbatch) and through `forge-launch batch --slurm` — a first round with no
# history (Forge asks for the static slot, bounded by the largest node), then a second that
# Forge sizes from the first. Reports, per policy, the Slurm jobs (resubmissions included),
# the memory they asked for (sum of --mem, read back from scontrol), the makespan and the
# failures, and what the jobs really peaked at (Forge's measurements of the second round). The "On a cluster" figures in the README come from here.
#
#   SLURM_CONF=/path/slurm.conf bash launcher/bench/cluster.sh   # after mvn -B package -DskipTests
#   FIXED_MEM=8G WORK=/shared/scratch/forge-bench bash launcher/bench/cluster.sh
#
# Needs sbatch/scontrol/squeue on the PATH and WORK (default: a new folder here) on a file
# system the nodes share, as Forge's jar must be. Jobs must stay known to scontrol until the
# end (MinJobAge, default 300 s).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
launch=$root/launcher/target/forge-launch
[ -x "$launch" ] || { echo "build first: mvn -B package -DskipTests" >&2; exit 1; }
command -v sbatch >/dev/null || { echo "sbatch is not on the PATH" >&2; exit 1; }
fixed=${FIXED_MEM:-4G}
work=${WORK:-$(mktemp -d -p "$PWD" forge-bench.XXXXXX)}
mkdir -p "$work"
export FORGE_HOME=$work/home
scripts=$root/examples/scripts
python3 "$scripts/make_inputs.py" "$work/in" 10 40 >/dev/null
jobs=$work/jobs.txt
: > "$jobs"
# shellcheck source=launcher/bench/analyses.sh
. "$root/launcher/bench/analyses.sh"
for s in 10 40; do
  echo "python3 $scripts/annotate.py $work/in/text-$s.txt 20 0.1" >> "$jobs"
  analyses "$scripts" "$work/in" "$s" >> "$jobs"
done
cd "$work"
n=$(wc -l < "$jobs")

echo "fixed --mem=$fixed: $n jobs with plain sbatch" >&2
start=$(date +%s.%N)
ids=()
while read -r job; do
  ids+=("$(sbatch --parsable --mem="$fixed" --time=60 --job-name=fixed --output=/dev/null \
    --wrap "$job")")
done < "$jobs"
while [ -n "$(squeue --noheader --jobs="$(IFS=,; echo "${ids[*]}")" 2>/dev/null)" ]; do
  sleep 1
done
end=$(date +%s.%N)
printf '%s\n' "${ids[@]}" > fixed.ids
echo "$start $end" > fixed.time

for round in first second; do
  echo "forge, $round round: batch --slurm" >&2
  start=$(date +%s.%N)
  "$launch" batch "$jobs" --slurm --json > "forge-$round.json" || true
  end=$(date +%s.%N)
  python3 -c 'import json,sys
for r in json.load(open(sys.argv[1]))["results"]:
    for a in r["attempts"]: print(a["job_id"])' "forge-$round.json" > "forge-$round.ids"
  echo "$start $end" > "forge-$round.time"
done

"$launch" history --json --limit 1000 > history.json
python3 - "$fixed" <<'PY'
import json, re, subprocess, sys

def job(i):
    line = subprocess.run(["scontrol", "show", "job", "-o", i], capture_output=True,
                          text=True).stdout
    value, unit = re.search(r"MinMemoryNode=([\d.]+)([MGT])", line).groups()
    mem = float(value) * {"M": 1, "G": 1024, "T": 1024 * 1024}[unit]
    return mem, re.search(r"JobState=(\S+)", line).group(1)

print(f"{'policy':30} {'jobs':>5} {'slurm jobs':>10} {'asked GB':>9} {'MB per job':>11}"
      f" {'makespan s':>11} {'failed':>7}")
for name, tag in ((f"fixed --mem={sys.argv[1]}", "fixed"), ("forge, first runs", "forge-first"),
                  ("forge, sized from history", "forge-second")):
    ids = open(f"{tag}.ids").read().split()
    start, end = map(float, open(f"{tag}.time").read().split())
    rows = [job(i) for i in ids]
    asked = sum(r[0] for r in rows) / 1024
    if tag == "fixed":
        jobs, failed = len(ids), sum(r[1] != "COMPLETED" for r in rows)
    else:
        s = json.load(open(f"{tag}.json"))
        jobs, failed = s["jobs"], s["jobs"] - s["succeeded"]
    print(f"{name:30} {jobs:>5} {len(ids):>10} {asked:>9.1f} {asked * 1024 / jobs:>11.0f}"
          f" {end - start:>11.1f} {failed:>7}")
runs = {r["run_id"]: r for r in json.load(open("history.json"))}
second = [a["run_id"] for r in json.load(open("forge-second.json"))["results"]
          for a in r["attempts"]]
peaks = [runs[i]["actual_rss_mb"] for i in second if runs.get(i, {}).get("actual_rss_mb")]
print(f"the jobs' measured peaks (second round, {len(peaks)} runs) sum to"
      f" {sum(peaks) / 1024:.2f} GB, largest {max(peaks):.0f} MB")
PY
echo "work folder: $work" >&2
