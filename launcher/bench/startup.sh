#!/usr/bin/env bash
# Launcher overhead, measured side by side in one run (the figures in the README come from
# here). Wall time of `forge-launch --quiet -- true` (plain `java -jar` and the fast-start
# wrapper) beside a JVM hello-world and a JVM that only starts `true` with ProcessBuilder (the
# floor any Java launcher sits on), in a home with a history and a trained model, and the
# launcher's own CPU around a 2-second job.
#
#   bash launcher/bench/startup.sh          # after `mvn -B package -DskipTests`
#   RUNS=50 bash launcher/bench/startup.sh
#
# Needs hyperfine (Debian: apt-get install hyperfine) and python3.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
jar=$root/launcher/target/forge-launch.jar
wrapper=$root/launcher/target/forge-launch
runs=${RUNS:-30}
for f in "$jar" "$wrapper"; do
  [ -e "$f" ] || { echo "missing $f: run mvn -B package -DskipTests first" >&2; exit 1; }
done
command -v hyperfine >/dev/null || { echo "hyperfine not found (apt-get install hyperfine)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export FORGE_HOME=$work/home
cat > "$work/Hello.java" <<'JAVA'
public class Hello { public static void main(String[] a) { System.out.println("hello"); } }
JAVA
cat > "$work/Spawn.java" <<'JAVA'
public class Spawn {
  public static void main(String[] a) throws Exception {
    System.exit(new ProcessBuilder("true").inheritIO().start().waitFor());
  }
}
JAVA
javac -d "$work" "$work/Hello.java" "$work/Spawn.java"
# A home as a user's looks after a while: a history (one chipseq trace, 600 runs) and a
# trained model in the launch snapshot, which every launch then reads.
java -jar "$jar" import --format nextflow \
  "$root/launcher/src/test/resources/traces/chipseq/run1.trace.csv" >/dev/null
java -jar "$jar" train >/dev/null
java -jar "$jar" --quiet -- true

# Each series starts from an empty spool (`stats` ingests it), so both launchers read the same.
hyperfine -N --warmup 3 --runs "$runs" --export-json "$work/wall.json" \
  --setup "java -jar $jar stats" \
  -n hello-world "java -cp $work Hello" \
  -n "JVM starting true (ProcessBuilder, no Forge)" "java -cp $work Spawn" \
  -n "java -jar forge-launch.jar --quiet -- true" "java -jar $jar --quiet -- true" \
  -n "forge-launch --quiet -- true (wrapper)" "$wrapper --quiet -- true" >/dev/null

cpu() { # mean user+system seconds of N runs of a command
  local n=$1; shift
  for _ in $(seq "$n"); do /usr/bin/time -f "%U %S" "$@" 2>&1 >/dev/null | tail -1; done |
    awk '{s += $1 + $2} END {printf "%.3f", s / NR}'
}
cpu_jar=$(cpu 5 java -jar "$jar" --quiet -- sleep 2)
cpu_wrapper=$(cpu 5 "$wrapper" --quiet -- sleep 2)

python3 - "$work/wall.json" "$cpu_jar" "$cpu_wrapper" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
hello = results[0]["mean"]
print(f"{'command':48} {'wall mean':>10} {'± sd':>8} {'× hello':>8} {'user+sys':>9}")
for r in results:
    print(f"{r['command']:48} {r['mean']*1000:8.0f}ms {r['stddev']*1000:6.0f}ms "
          f"{r['mean']/hello:8.2f} {(r['user']+r['system'])*1000:7.0f}ms")
print()
print("launcher CPU around `sleep 2` (mean of 5; target < 0.3 s + 1% of 2 s = 0.32 s):")
print(f"  java -jar forge-launch.jar   {float(sys.argv[2]):.3f} s")
print(f"  forge-launch (wrapper)       {float(sys.argv[3]):.3f} s")
PY
