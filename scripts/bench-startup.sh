#!/usr/bin/env bash
# Start-up of whole nspolicy processes: `--version`, `validate` on examples/nspolicy.yaml and
# `check-zone` on a 10k-record zone, each from two publishes of the same source: the
# framework-dependent JIT build (what `dotnet tool install` gives) and the ReadyToRun build
# (`dotnet publish -r RID`, what the Action runs). Rounds alternate the builds and commands, so load
# from other work hits every row alike; the table gives the median and the best of the rounds,
# wall time and CPU time (user + system; steadier than wall on a busy machine). Benchmarks are not
# tests: CI never runs this.
#
# usage: scripts/bench-startup.sh [--runs 11]
set -euo pipefail
cd "$(dirname "$0")/.."

runs=11
while (($#)); do
  case $1 in
    --runs) runs=$2; shift 2 ;;
    *) echo "usage: $0 [--runs 11]" >&2; exit 2 ;;
  esac
done

source scripts/lib/debian.sh
ensure_packages time

case $(uname -m) in
  x86_64) rid=linux-x64 ;;
  aarch64) rid=linux-arm64 ;;
  *) echo "no ReadyToRun runtime identifier known for $(uname -m)" >&2; exit 2 ;;
esac

work=$(mktemp -d /tmp/nspolicy-bench-startup.XXXXXX)
trap 'rm -rf "$work"' EXIT

echo "publishing nspolicy twice (Release): JIT, and ReadyToRun for $rid..." >&2
dotnet publish src/NsPolicy.Cli -c Release -o "$work/jit" -v quiet -nologo >&2
dotnet publish src/NsPolicy.Cli -c Release -r "$rid" --self-contained false -o "$work/r2r" -v quiet -nologo >&2
dotnet build benchmarks/NsPolicy.Benchmarks -c Release -v quiet -nologo >&2
benchmarks/NsPolicy.Benchmarks/bin/Release/net10.0/NsPolicy.Benchmarks gen-zones --out "$work/zones" --sizes 10000 >/dev/null

declare -A commands=(
  [version]="--version"
  [validate]="validate --policy examples/nspolicy.yaml"
  [check-zone-10k]="check-zone $work/zones/tld-10000.zone --origin bench-tld."
)
order=(version validate check-zone-10k)
builds=(jit r2r)

for _ in $(seq "$runs"); do
  for name in "${order[@]}"; do
    for build in "${builds[@]}"; do
      # shellcheck disable=SC2086 # the command's words are meant to split
      /usr/bin/time -f '%e %U %S' -o "$work/time" "$work/$build/nspolicy" ${commands[$name]} >/dev/null 2>&1 || true
      echo "$name $build $(tail -n 1 "$work/time")" >>"$work/samples"
    done
  done
done

echo
echo "$runs rounds alternating builds and commands; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
echo
echo "| command | build | wall s median | wall s best | CPU s median | CPU s best | CPU vs JIT |"
echo "|---|---|---:|---:|---:|---:|---:|"
for name in "${order[@]}"; do
  jit_cpu=
  for build in "${builds[@]}"; do
    read -r wm wb cm cb < <(awk -v n="$name" -v b="$build" '$1 == n && $2 == b { print $3, $4 + $5 }' "$work/samples" |
      sort -n -k1,1 | awk '{ w[NR] = $1; c[NR] = $2 } END {
        m = int((NR + 1) / 2); bw = w[1]; bc = c[1]
        for (i = 1; i <= NR; i++) if (c[i] < bc) bc = c[i]
        # median CPU: sort the CPU column separately
        for (i = 1; i <= NR; i++) for (j = i + 1; j <= NR; j++) if (c[j] < c[i]) { t = c[i]; c[i] = c[j]; c[j] = t }
        printf "%.3f %.3f %.3f %.3f\n", w[m], bw, c[m], bc }')
    [[ -z $jit_cpu ]] && jit_cpu=$cm
    ratio=$(awk -v a="$cm" -v b="$jit_cpu" 'BEGIN { printf (b > 0 ? "%.2f" : "n/a"), (b > 0 ? a / b : 0) }')
    echo "| nspolicy $name | $build | $wm | $wb | $cm | $cb | $ratio |"
  done
done
