#!/usr/bin/env bash
# The Forge demo: runs 160 real analysis jobs of varied sizes through the launcher in dry-run
# (predicted, measured, recorded; nothing capped), trains the model on them, runs 40 more that
# the model predicts, shows its accuracy on those, and says how to open the dashboard.
#
#   bash examples/demo.sh            # after `mvn -B package -DskipTests`
#
# Uses FORGE_HOME if set, else ~/.forge-demo (so the demo's runs stay out of your real history).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
launch=$root/launcher/target/forge-launch
[ -x "$launch" ] || { echo "build first: mvn -B package -DskipTests" >&2; exit 1; }
export FORGE_HOME=${FORGE_HOME:-$HOME/.forge-demo}
scripts=$root/examples/scripts
inputs=$FORGE_HOME/demo-inputs
sizes=(5 10 20 40 80)

echo "forge demo: writing inputs to $inputs"
python3 "$scripts/make_inputs.py" "$inputs" "${sizes[@]}" >/dev/null

jobs=()
for s in "${sizes[@]}"; do
  jobs+=("python3 $scripts/wordfreq.py $inputs/text-$s.txt"
         "python3 $scripts/groupby.py $inputs/values-$s.csv"
         "python3 $scripts/kmeans.py $inputs/points-$s.csv 6 8"
         "python3 $scripts/sparse_matmul.py $inputs/triplets-$s.csv"
         "python3 $scripts/ngram_index.py $inputs/text-$s.txt"
         "python3 $scripts/bootstrap.py $inputs/values-$s.csv 60"
         "sh $scripts/dedup_sort.sh $inputs/text-$s.txt $inputs/out-$s.gz"
         "bash $scripts/gzip_pipeline.sh $inputs/text-$s.txt")
done
errors=$(mktemp)
trap 'rm -f "$errors"' EXIT
run_round() { # runs every job once through the launcher, dry-run
  for job in "${jobs[@]}"; do
    # shellcheck disable=SC2086
    if ! "$launch" --quiet --mode dry-run -- $job >/dev/null 2>"$errors"; then
      [ -t 2 ] && echo >&2
      echo "forge demo: a job failed (the demo goes on): $job" >&2
      tail -n 5 "$errors" | sed 's/^/  | /' >&2
    fi
    done_=$((done_ + 1))
    if [ -t 2 ]; then
      printf '\rforge demo: %d/%d jobs run' "$done_" "$total" >&2
    elif [ $((done_ % 40)) -eq 0 ]; then
      echo "forge demo: $done_/$total jobs run" >&2
    fi
  done
}
total=$(( ${#jobs[@]} * 5 ))
done_=0
for round in 1 2 3 4; do
  run_round
done
[ -t 2 ] && echo >&2
"$launch" train
echo "forge demo: one more round, now predicted by the model"
run_round
[ -t 2 ] && echo >&2
"$launch" stats --last ${#jobs[@]}
echo
echo "The same ${#jobs[@]} runs on the dashboard:"
echo "  FORGE_HOME=$FORGE_HOME $launch serve"
echo "  then open http://127.0.0.1:8321/forge/resource-predictor?last=${#jobs[@]}"
