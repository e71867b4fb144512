#!/usr/bin/env bash
# Live checks at scale (benchmark, not a test; CI never runs it): `nspolicy check` of N generated
# healthy zones served by the test lab (BIND, NSD, Knot; tests/NsPolicy.Dns.Tests/Lab), in one run,
# then one run per zone on a sample, then `zonemaster-cli` on the same sample with the lab's root
# hints. Reports wall time, peak RSS (/usr/bin/time), queries sent and findings, and prints a
# Markdown table with the per-zone time ratio. Target: 1,000 zones in under 30 s.
#
# Nothing can leave loopback: the lab and both tools run in a network namespace of their own
# (`unshare --net`) that has no interface but lo, zonemaster-cli gets only the lab's root hints
# (--hints) and --no-ipv6, and nspolicy runs with NSPOLICY_LOOPBACK_ONLY=1.
# Queries are counted by the kernel of that namespace, the same way for both tools: UDP
# exchanges are the datagrams sent during the run divided by two (a query and its answer), TCP
# connections are the connections the tool opened. nspolicy's evidence file gives its own count too.
#
# With --lossy, the all-zones run and a check of the lab's scenario zones (healthy and faulty, as
# the lab tests state them) are measured twice in the same lab: on the clean network, then with lo
# made lossy and slow (scripts/lib/lossy-network.sh: 20 ms ± 5 ms delay each way and 1 % loss, by
# netem or, on a kernel without netem, by nspolicy-lab's netfilter-queue delayer and iptables; the
# output says which, and what the delayer did); their findings must agree.
#
# usage: scripts/bench-live.sh [--zones 1000] [--sample 10] [--concurrency 64] [--lossy [--loss PCT]] [--keep DIR]
#   --sample 0   no per-zone runs and no zonemaster-cli
#   --lossy      also measure on a lossy network (above)
#   --loss PCT   the lossy network's loss in percent (default 1)
#   --keep DIR   keep the evidence, reports and tool outputs in DIR
# Needs root (network namespace, lab addresses on lo) and installs the Debian packages it needs.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ ${1:-} == --inner ]]; then
  # Inside the namespace and beside the running lab (called by nspolicy-lab run).
  shift
  work=$1 zones=$2 sample=$3 concurrency=$4 nspolicy=$5 lossy=$6
  policy=$NSPOLICY_LAB_GENERATED_POLICY
  hints=$NSPOLICY_LAB_ROOT_HINTS

  # "UDP datagrams sent" and "TCP connections opened" in this namespace so far.
  counters() { awk '$1 == "Udp:" && $2 ~ /^[0-9]+$/ { u = $5 } $1 == "Tcp:" && $2 ~ /^[0-9]+$/ { t = $6 } END { print u, t }' /proc/net/snmp; }

  # measure NAME CMD...: runs CMD under /usr/bin/time, appends "NAME seconds peak-KiB exit udp tcp cpu-seconds" to $work/runs.
  measure() {
    local name=$1; shift
    local u0 t0 u1 t1 s kb rc us ks
    read -r u0 t0 < <(counters)
    /usr/bin/time -f '%e %M %x %U %S' -o "$work/time" "$@" >"$work/$name.out" 2>"$work/$name.err" || true
    read -r u1 t1 < <(counters)
    read -r s kb rc us ks < <(tail -n 1 "$work/time")
    echo "$name $s $kb $rc $(((u1 - u0) / 2)) $((t1 - t0)) $(awk -v a="$us" -v b="$ks" 'BEGIN { printf "%.2f", a + b }')" >>"$work/runs"
  }

  mapfile -t all < <(sed -n 's/^  - zone: //p' "$policy")
  picked=()
  if ((sample > 0)); then
    step=$((${#all[@]} / sample)); ((step > 0)) || step=1
    # Evenly spread, alternating odd (signed) and even (unsigned) zones.
    for ((k = 0; k < sample && k * step + k % 2 < ${#all[@]}; k++)); do picked+=("${all[k * step + k % 2]}"); done
  fi
  printf '%s\n' "${picked[@]}" >"$work/sample"

  # batch [SUFFIX]: all generated zones in one run; scenarios [SUFFIX]: the lab's scenario zones.
  batch() {
    set -- "${1-}"
    echo "nspolicy check: ${#all[@]} zones in one run${1:+ ($1)}..." >&2
    measure "batch$1" "$nspolicy" check --policy "$policy" --root-hints "$hints" --concurrency "$concurrency" \
      --save-evidence "$work/evidence$1.json" --format json --output "$work/report$1.json" --format text --output "$work/report$1.txt"
  }
  scenarios() {
    set -- "${1-}"
    echo "nspolicy check: the lab's scenario zones${1:+ ($1)}..." >&2
    grep -c '^  - zone: ' "$NSPOLICY_LAB_SCENARIO_POLICY" >"$work/scenario-zones"
    measure "scenarios$1" "$nspolicy" check --policy "$NSPOLICY_LAB_SCENARIO_POLICY" --root-hints "$hints" --concurrency "$concurrency" \
      --format json --output "$work/scenarios$1.json"
  }
  batch
  if [[ $lossy == 1 ]]; then
    source scripts/lib/lossy-network.sh
    scenarios
    lossy_network_on 20 5 "${NSPOLICY_BENCH_LOSS:-1}" >"$work/network"
    echo "lossy network: $(cat "$work/network")" >&2
    batch -lossy
    scenarios -lossy
    lossy_network_dropped >"$work/dropped"
    lossy_network_off "$work/delays"
  fi
  for zone in "${picked[@]}"; do
    echo "nspolicy check --zone $zone..." >&2
    measure "nspolicy-$zone" "$nspolicy" check --policy "$policy" --root-hints "$hints" --zone "$zone"
  done
  for zone in "${picked[@]}"; do
    echo "zonemaster-cli $zone..." >&2
    measure "zonemaster-$zone" zonemaster-cli --hints "$hints" --no-ipv6 --no-progress --level WARNING --count "$zone"
  done
  exit 0
fi

zones=1000
sample=10
concurrency=64
lossy=0
keep=
while (($#)); do
  case $1 in
    --zones) zones=$2; shift 2 ;;
    --sample) sample=$2; shift 2 ;;
    --concurrency) concurrency=$2; shift 2 ;;
    --lossy) lossy=1; shift ;;
    --loss) export NSPOLICY_BENCH_LOSS=$2; shift 2 ;;
    --keep) keep=$2; shift 2 ;;
    *) echo "usage: $0 [--zones 1000] [--sample 10] [--concurrency 64] [--lossy [--loss PCT]] [--keep DIR]" >&2; exit 2 ;;
  esac
done

source scripts/lib/debian.sh
ensure_packages "${lab_packages[@]}" time zonemaster-cli

echo "building nspolicy and the lab runner (Release)..." >&2
# nspolicy as published for a runtime identifier (ReadyToRun, as the Action runs it; see
# NsPolicy.Cli.csproj): the JIT build spends about 0.4 s more CPU on 1,000 zones compiling.
case $(uname -m) in x86_64) rid=linux-x64 ;; aarch64) rid=linux-arm64 ;; *) rid= ;; esac
published=$(mktemp -d /tmp/nspolicy-bench-live-bin.XXXXXX)
trap 'rm -rf "$published"' EXIT
dotnet publish src/NsPolicy.Cli -c Release ${rid:+-r "$rid" --self-contained false} -o "$published" -v quiet -nologo >&2
dotnet build tools/NsPolicy.Lab -c Release -v quiet -nologo >&2
nspolicy=$published/nspolicy
lab=$PWD/tools/NsPolicy.Lab/bin/Release/net10.0/nspolicy-lab
if ! "$nspolicy" check --help 2>/dev/null | grep -q -- --root-hints; then
  echo "this build of nspolicy has no live checks (check --root-hints); nothing to measure" >&2
  exit 2
fi

if [[ -n $keep ]]; then
  mkdir -p "$keep"
  work=$(cd "$keep" && pwd)
  rm -f "$work/runs"
else
  work=$(mktemp -d /tmp/nspolicy-bench-live.XXXXXX)
  trap 'rm -rf "$work" "$published"' EXIT
fi

# A network namespace with nothing but lo: the lab, nspolicy and zonemaster-cli cannot reach
# anything else, whatever they try. The lab's own slot locks (in /tmp) still keep labs apart.
unshare --net -- bash -c 'ip link set lo up && exec "$@"' _ \
  "$lab" run --zones "$zones" -- "$PWD/scripts/bench-live.sh" --inner "$work" "$zones" "$sample" "$concurrency" "$nspolicy" "$lossy"

read -r evidence_queries < <(grep -c '"transport":' "$work/evidence.json" || true)
read -r findings < <(grep -o '"code":' "$work/report.json" | wc -l)
echo
echo "nspolicy: $zones zones, $findings findings (the zones are healthy), $evidence_queries queries recorded in the evidence."
echo "zonemaster-cli $(zonemaster-cli --version 2>/dev/null | sed -n 's/^CLI version: *//p') with --hints (lab root) --no-ipv6, one run per zone (it checks one zone per run)."
echo
awk -v zones="$zones" '
  { name = $1; s = $2; kb = $3; rc = $4; udp = $5; tcp = $6; c = $7
    kind = (name ~ /^(batch|scenarios)/) ? name : (name ~ /^nspolicy-/ ? "single" : "zm")
    n[kind]++; wall[kind] += s; cpu[kind] += c; u[kind] += udp; t[kind] += tcp; if (kb > rss[kind]) rss[kind] = kb; if (rc != 0) bad[kind]++ }
  function row(kind, label, count, zmRatio) {
    if (n[kind] == 0) return
    printf "| %s | %d | %.2f | %.2f | %.4f | %.1f | %.1f | %.0f | %s |\n", label, count, wall[kind], cpu[kind], wall[kind] / count, u[kind] / count, t[kind] / count, rss[kind] / 1024, zmRatio
  }
  END {
    per["zm"] = n["zm"] ? wall["zm"] / n["zm"] : 0
    print "| run | zones | wall s | CPU s | s per zone | UDP queries per zone | TCP connections per zone | peak RSS MiB | zonemaster-cli time per zone / this |"
    print "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
    row("batch", "nspolicy check, all zones in one run", zones, n["zm"] ? sprintf("%.0f", per["zm"] / (wall["batch"] / zones)) : "-")
    row("batch-lossy", "the same, lossy network", zones, "-")
    row("scenarios", "nspolicy check, the lab scenario zones", scenario_zones, "-")
    row("scenarios-lossy", "the same, lossy network", scenario_zones, "-")
    row("single", "nspolicy check --zone Z, one run per zone", n["single"], n["zm"] ? sprintf("%.1f", per["zm"] / (wall["single"] / n["single"])) : "-")
    row("zm", "zonemaster-cli, one run per zone", n["zm"], "1.0")
    for (k in bad) if (bad[k] > 0 && k !~ /^scenarios/) printf "\nnon-zero exit: %s (%d runs; see --keep DIR)\n", k, bad[k]
  }' scenario_zones="$(cat "$work/scenario-zones" 2>/dev/null || echo 1)" "$work/runs"
if [[ -f $work/network ]]; then
  echo
  echo "lossy network: $(cat "$work/network"); $(cat "$work/dropped") packets dropped during the lossy runs."
  if [[ -f $work/delays ]]; then
    awk '{ v[$1] = $2 } END { printf "delayer: %d packets held, drawn delays %.1f to %.1f ms (mean %.1f), held %.1f to %.1f ms, %d lost in the queue by accident.\n", v["packets"], v["drawn-min-ms"], v["drawn-max-ms"], v["drawn-mean-ms"], v["held-min-ms"], v["held-max-ms"], v["queue-full-drops"] + v["not-handed-over"] + v["overruns"] }' "$work/delays"
  fi
  same() { python3 - "$1" "$2" <<'PY'
import json, sys
def codes(path):
    found = {}
    for f in json.load(open(path))["findings"]:
        found.setdefault(f.get("zone", ""), []).append(f["code"])
    return {z: sorted(c) for z, c in found.items()}
a, b = codes(sys.argv[1]), codes(sys.argv[2])
def diff(z):
    x, y = list(a.get(z, [])), list(b.get(z, []))
    for c in list(x):
        if c in y:
            x.remove(c); y.remove(c)
    return " ".join(["-" + c for c in x] + ["+" + c for c in y])
print("the same findings" if a == b else "DIFFERENT findings (- only clean, + only lossy): " + ", ".join(f"{z or '(no zone)'} {diff(z)}" for z in sorted(set(a) | set(b)) if a.get(z) != b.get(z)))
PY
  }
  echo "all zones: clean and lossy runs give $(same "$work/report.json" "$work/report-lossy.json")."
  echo "scenario zones: clean and lossy runs give $(same "$work/scenarios.json" "$work/scenarios-lossy.json")."
fi
