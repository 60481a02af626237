#!/usr/bin/env bash
# Every workflow replayed as one Forge never saw: a folder of Nextflow traces (one subfolder
# per workflow, e.g. ../shared/data/nextflow-traces) is imported into a fresh home with the
# subfolder names as labels, then `evaluate --holdout-label L` runs for each label under each
# protocol, every other label's runs being earlier history. Prints one table per protocol:
# wastage GB·h / first-attempt failures per policy, Forge's wastage over the best baseline's,
# and the hindsight bound's (each process capped at its largest peak, known in hindsight: the
# least any one-cap-per-process rule can waste). The README's hold-out tables come from here.
#
#   bash launcher/bench/holdout.sh ../shared/data/nextflow-traces            # live and paper
#   PROTOCOLS=live bash launcher/bench/holdout.sh /path/to/traces
#   KEEP=/tmp/holdout bash launcher/bench/holdout.sh ...   # keep each evaluation's JSON there
#
# Needs the built jar (mvn -B package -DskipTests) and python3; 1-2 min per evaluation (Forge
# predicts and retrains through the history as a live Forge would).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
jar=$root/launcher/target/forge-launch.jar
traces=${1:?usage: holdout.sh TRACES_DIR}
protocols=${PROTOCOLS:-live paper}
[ -f "$jar" ] || { echo "missing $jar: run mvn -B package -DskipTests first" >&2; exit 1; }
[ -d "$traces" ] || { echo "not a folder: $traces" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
keep=${KEEP:-}
export FORGE_HOME=$work/home
labels=()
for dir in "$traces"/*/; do
  label=$(basename "$dir")
  files=("$dir"*)
  java -jar "$jar" import --format nextflow --label "$label" "${files[@]}" >/dev/null
  labels+=("$label")
done
for protocol in $protocols; do
  for label in "${labels[@]}"; do
    echo "evaluating $label ($protocol)" >&2
    java -jar "$jar" evaluate --json --protocol "$protocol" --holdout-label "$label" \
      > "$work/$protocol-$label.json" 2> "$work/err" || {
      echo "  $label skipped under $protocol: $(cat "$work/err")" >&2
      rm -f "$work/$protocol-$label.json"
    }
  done
done

python3 - "$work" $protocols <<'PY'
import json, glob, os, sys
work, protocols = sys.argv[1], sys.argv[2:]
baselines = ["requested", "static", "max_history", "witt_lr"]
for protocol in protocols:
    print(f"\n--protocol {protocol} --holdout-label L (wastage GB·h / first-attempt failures)")
    print(f"{'workflow':12} {'runs':>6} {'forge':>14} {'forge_spec':>14} "
          + " ".join(f"{b:>14}" for b in baselines)
          + f" {'hindsight':>14} {'forge/best':>10} {'hind/best':>9} {'fail %':>7}"
          + f" {'µs mean':>7} {'µs p99':>7}")
    for path in sorted(glob.glob(os.path.join(work, protocol + "-*.json"))):
        r = json.load(open(path))
        g = r["overall"]
        s = g["sizing"]
        cell = lambda p: (f"{s[p]['wastage_gbh']:.3f}/{s[p]['first_attempt_failures']}"
                          if p in s else "-")
        best = min(s[p]["wastage_gbh"] for p in baselines if p in s)
        ratio = s["forge"]["wastage_gbh"] / best if best > 0 else float("inf")
        hind = s["hindsight"]["wastage_gbh"] / best if best > 0 else float("inf")
        fail = 100.0 * s["forge"]["first_attempt_failure_rate"]
        print(f"{r['holdout_label']:12} {g['runs']:>6} {cell('forge'):>14}"
              + f" {cell('forge_spec'):>14} "
              + " ".join(f"{cell(p):>14}" for p in baselines)
              + f" {cell('hindsight'):>14} {ratio:>10.2f} {hind:>9.2f} {fail:>7.1f}"
              + f" {r['decision_us'].get('mean', 0):>7}"
              + f" {r['decision_us'].get('p99', 0):>7}")
PY
if [ -n "$keep" ]; then
  mkdir -p "$keep" && cp "$work"/*.json "$keep"/
fi
