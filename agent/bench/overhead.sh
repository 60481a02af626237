#!/usr/bin/env bash
# Per-call overhead of the agent on a planned method that does nothing, measured side by side:
# the same program with and without -javaagent (dry-run and enforce). The figures in the README
# come from here.
#
#   bash agent/bench/overhead.sh           # after `mvn -B package -DskipTests`
#   CALLS=5000 bash agent/bench/overhead.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
agent=$root/agent/target/forge-agent.jar
classes=$root/agent/target/test-classes
calls=${CALLS:-2000}
[ -f "$agent" ] && [ -d "$classes" ] || {
  echo "build first: mvn -B package -DskipTests (and test-compile)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
run() { java "$@" -cp "$classes" io.forge.bench.OverheadProgram "$calls" |
  sed -n 's/^ns_per_call=\([0-9]*\).*/\1/p'; }
base=$(run)
dry=$(run -javaagent:"$agent"=home="$work/dry",mode=dry-run)
enforce=$(run -javaagent:"$agent"=home="$work/enforce",mode=enforce)
printf '%-28s %12s %14s\n' "configuration" "ns per call" "agent adds"
printf '%-28s %12d %14s\n' "no agent" "$base" "-"
printf '%-28s %12d %12d ns\n' "agent, dry-run" "$dry" $((dry - base))
printf '%-28s %12d %12d ns\n' "agent, enforce" "$enforce" $((enforce - base))
echo "calls recorded: $(ls "$work/dry/spool" | wc -l) (dry-run), $(ls "$work/enforce/spool" | wc -l) (enforce)"
