#!/usr/bin/env bash
# Times the action's own steps the way the runner runs them, on this machine: the cache-miss path
# (key.sh, then build.sh: a self-contained ReadyToRun publish) and the cache-hit path (key.sh, then
# nspolicy straight from the restored folder), against the framework-dependent build the action
# used before (`dotnet nspolicy.dll`, which needed the .NET SDK installed on every run).
# What it cannot time here: downloading the SDK (setup-dotnet) and NuGet packages on a cold
# runner, and restoring the cache (actions/cache), which need the network.
# Usage: scripts/action/measure.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds="${1:-5}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export RUNNER_TEMP="$work" NSPOLICY_HOME="$work/nspolicy" GITHUB_ACTION_PATH="$PWD" DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
t0=$(now); GITHUB_OUTPUT="$work/key.out" bash scripts/action/key.sh; t1=$(now)
key_s=$(elapsed "$t0" "$t1")
rid=$(sed -n 's/^rid=//p' "$work/key.out")
echo "key.sh: ${key_s} s ($(sed -n 's/^key=//p' "$work/key.out"))"

t0=$(now); NSPOLICY_RID="$rid" bash scripts/action/build.sh > "$work/build.log" 2>&1; t1=$(now)
echo "build.sh (cache miss, NuGet cache warm): $(elapsed "$t0" "$t1") s, $(du -sm "$NSPOLICY_HOME/bin" | cut -f1) MiB"

dotnet publish src/NsPolicy.Cli -c Release --nologo -o "$work/fdd" > "$work/fdd.log" 2>&1

policy=examples/nspolicy.yaml
hit=() fdd=()
for _ in $(seq "$rounds"); do
  t0=$(now); "$NSPOLICY_HOME/bin/nspolicy" validate --policy "$policy" > /dev/null || true; t1=$(now)
  hit+=("$(elapsed "$t0" "$t1")")
  t0=$(now); dotnet "$work/fdd/nspolicy.dll" validate --policy "$policy" > /dev/null || true; t1=$(now)
  fdd+=("$(elapsed "$t0" "$t1")")
done
h=$(printf '%s\n' "${hit[@]}" | median)
f=$(printf '%s\n' "${fdd[@]}" | median)
echo "nspolicy validate, self-contained ReadyToRun (cache hit): median ${h} s of ${rounds}"
echo "nspolicy validate, framework-dependent dotnet nspolicy.dll (before): median ${f} s of ${rounds}"
awk -v h="$h" -v f="$f" 'BEGIN { printf "ratio: %.2f\n", h / f }'
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
