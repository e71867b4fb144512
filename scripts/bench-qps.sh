#!/usr/bin/env bash
# Queries per second of nspolicy's DNS transport against a local NSD, next to dnsperf against the
# same NSD with the same query in the same run (dnsperf shows what the server and this machine can
# do). Starts its own NSD on 127.20.250.1: the test lab's slot s uses 127.20.(16*s+n).x with n in
# 0-6 and 15 only, so 250 (= 16*15+10) is never a lab address and a lab may run meanwhile. Runs
# both tools at each concurrency, prints a Markdown table and stops NSD. Benchmarks are not tests:
# CI never runs this.
#
# usage: scripts/bench-qps.sh [--seconds S] [--concurrency 1,16,256] [--rounds R] [--address 127.20.250.1]
# Each level runs R rounds alternating the two tools and keeps each tool's best round, so a burst
# of other work on a shared machine hurts both alike. CPU time per query (user + system, the
# lowest of the rounds) is printed for both tools too: on a busy machine it moves far less than
# queries per second.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=10
levels=1,16,256
rounds=3
address=127.20.250.1
while (($#)); do
  case $1 in
    --seconds) seconds=$2; shift 2 ;;
    --concurrency) levels=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --address) address=$2; shift 2 ;;
    *) echo "usage: $0 [--seconds S] [--concurrency 1,16,256] [--rounds R] [--address 127.20.250.1]" >&2; exit 2 ;;
  esac
done
case $address in
  127.*) ;;
  *) echo "the benchmark only runs on loopback (127.0.0.0/8), not $address" >&2; exit 2 ;;
esac

source scripts/lib/debian.sh
ensure_packages nsd dnsperf bind9-dnsutils time

echo "building the benchmarks (Release)..." >&2
dotnet build benchmarks/NsPolicy.Benchmarks -c Release -v quiet -nologo >&2
bench=benchmarks/NsPolicy.Benchmarks/bin/Release/net10.0/NsPolicy.Benchmarks

work=$(mktemp -d /tmp/nspolicy-bench-qps.XXXXXX)
nsd_pid=
cleanup() {
  if [[ -n $nsd_pid ]]; then
    kill "$nsd_pid" 2>/dev/null || true
    wait "$nsd_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

name=www.bench-qps.
cat >"$work/bench-qps.zone" <<EOF
\$TTL 3600
@    IN SOA ns hostmaster 1 3600 900 604800 300
@    IN NS  ns
ns   IN A   $address
www  IN A   192.0.2.80
EOF
# One server process (the machine has two cores: one for NSD, one for the client). Response-rate
# limiting off: it exists to slow floods from one source, which is exactly what a benchmark is.
cat >"$work/nsd.conf" <<EOF
server:
    ip-address: $address
    port: 53
    do-ip6: no
    username: ""
    chroot: ""
    zonesdir: "$work"
    database: ""
    zonelistfile: "$work/zone.list"
    xfrdfile: "$work/xfrd.state"
    xfrdir: "$work"
    pidfile: "$work/nsd.pid"
    logfile: "$work/nsd.log"
    server-count: 1
    verbosity: 1
    rrl-ratelimit: 0
    rrl-whitelist-ratelimit: 0
remote-control:
    control-enable: no
zone:
    name: "bench-qps."
    zonefile: "$work/bench-qps.zone"
EOF
# Something already answering there would be measured instead of our NSD.
if dig +short +time=1 +tries=1 "@$address" "$name" A >/dev/null 2>&1; then
  echo "a DNS server already answers on $address; stop it or pass --address" >&2
  exit 1
fi
nsd -d -c "$work/nsd.conf" >"$work/nsd.out" 2>&1 &
nsd_pid=$!
started=0
for _ in $(seq 50); do
  if ! kill -0 "$nsd_pid" 2>/dev/null; then
    break
  fi
  if dig +short +time=1 +tries=1 "@$address" "$name" A 2>/dev/null | grep -q 192.0.2.80; then
    started=1
    break
  fi
  sleep 0.2
done
if ((!started)) || ! kill -0 "$nsd_pid" 2>/dev/null; then
  echo "NSD did not start:" >&2
  cat "$work/nsd.out" "$work/nsd.log" >&2 2>/dev/null || true
  exit 1
fi
echo "$name A" >"$work/queries.txt"

echo "| concurrency | nspolicy q/s | dnsperf q/s | ratio | nspolicy CPU µs/query | dnsperf CPU µs/query | nspolicy lost | dnsperf lost |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|"
IFS=, read -ra level_list <<<"$levels"
for level in "${level_list[@]}"; do
  ours_qps=0 ours_lost=0 ours_cpu= theirs_qps=0 theirs_lost=0 theirs_cpu=
  for _ in $(seq "$rounds"); do
    ours=$("$bench" qps --server "$address" --name "$name" --concurrency "$level" --seconds "$seconds")
    q=$(sed -n 's/.* qps=\([0-9]*\).*/\1/p' <<<"$ours")
    c=$(sed -n 's/.* cpu-us-per-query=\([0-9.]*\).*/\1/p' <<<"$ours")
    if ((q > ours_qps)); then
      ours_qps=$q
      ours_lost=$(sed -n 's/.* lost=\([0-9]*\).*/\1/p' <<<"$ours")
    fi
    # CPU per query: the lowest of the rounds (the least disturbed by other work on the machine).
    ours_cpu=$(awk -v a="$c" -v b="$ours_cpu" 'BEGIN { print (b == "" || a + 0 < b + 0) ? a : b }')
    # -e: EDNS(0) like our queries; -q: queries outstanding at once, like our concurrency.
    theirs=$(/usr/bin/time -f 'cpu %U %S' dnsperf -s "$address" -p 53 -d "$work/queries.txt" -l "$seconds" -q "$level" -e 2>&1)
    q=$(sed -n 's/^ *Queries per second: *\([0-9]*\).*/\1/p' <<<"$theirs")
    sent=$(sed -n 's/^ *Queries sent: *\([0-9]*\).*/\1/p' <<<"$theirs")
    c=$(awk -v s="${sent:-0}" '$1 == "cpu" { if (s > 0) printf "%.1f", ($2 + $3) * 1e6 / s }' <<<"$theirs")
    if ((q > theirs_qps)); then
      theirs_qps=$q
      theirs_lost=$(sed -n 's/^ *Queries lost: *\([0-9]*\).*/\1/p' <<<"$theirs")
    fi
    theirs_cpu=$(awk -v a="$c" -v b="$theirs_cpu" 'BEGIN { print (b == "" || (a != "" && a + 0 < b + 0)) ? a : b }')
  done
  ratio=$(awk -v a="$ours_qps" -v b="$theirs_qps" 'BEGIN { printf (b > 0 ? "%.2f" : "n/a"), (b > 0 ? a / b : 0) }')
  echo "| $level | $ours_qps | $theirs_qps | $ratio | $ours_cpu | $theirs_cpu | $ours_lost | $theirs_lost |"
done
