#!/usr/bin/env bash
# The runs of Ipv6LabTests, inside the IPv6 lab's network namespace, beside the lab (nspolicy-lab
# run --ipv6 -- this script NSPOLICY_DLL OUT REPOSITORY). Each run NAME leaves OUT/NAME.json (the
# JSON report), OUT/NAME.exit, OUT/NAME.err and, for some, OUT/NAME.evidence.json; the test reads them.
set -uo pipefail
nspolicy=$1 out=$2 repository=$3
policy=$NSPOLICY_LAB_SCENARIO_POLICY
hints=$NSPOLICY_LAB_ROOT_HINTS
source "$repository/scripts/lib/lossy-network.sh"

# run NAME [ARG]...: nspolicy check of the scenario policy with the lab's root hints.
run() {
  local name=$1; shift
  dotnet "$nspolicy" check --policy "$policy" --root-hints "$hints" --format json --output "$out/$name.json" "$@" 2>"$out/$name.err"
  echo $? >"$out/$name.exit"
}

v6_zones=(--zone dual-stack.test --zone lame-v6.test --zone unreachable-v6.test --zone v6-only-ns.test --zone serial-v6.test)
echo "$NSPOLICY_LAB_SLOT_USED" >"$out/slot"

# The guard refuses the lab's IPv6 addresses unless NSPOLICY_ALLOW_PREFIXES names their prefix:
# auto then finds no usable route to IPv6 and says so once.
run refused "${v6_zones[@]}"

export NSPOLICY_ALLOW_PREFIXES=$NSPOLICY_LAB_IPV6_PREFIX
run off "${v6_zones[@]}" --ipv6 off
for zone in dual-stack lame-v6 unreachable-v6; do
  run "$zone" --zone "$zone.test" --save-evidence "$out/$zone.evidence.json"
done

# Every scenario zone, clean, then over a lossy network (same lab, same command). dig's round
# trips to the lab's root server, over UDP and TCP, IPv4 and IPv6, show the delay each way: a query
# and its answer each held at least 15 ms. The delayer's statistics go to OUT/delays.
run clean --save-evidence "$out/clean.evidence.json"
lossy_network_on 20 5 1 >"$out/network" || echo "lossy network failed: $?" >"$out/network"
root4=$(awk '$(NF-1) == "A" { print $NF; exit }' "$hints")
root6=$(awk '$(NF-1) == "AAAA" { print $NF; exit }' "$hints")
for transport in udp tcp; do
  dig @"$root4" . SOA +norec +time=5 +tries=3 "+$([[ $transport == tcp ]] && echo tcp || echo notcp)" >"$out/dig-$transport-4" 2>&1
  dig @"$root6" . SOA +norec +time=5 +tries=3 "+$([[ $transport == tcp ]] && echo tcp || echo notcp)" >"$out/dig-$transport-6" 2>&1
done
run lossy --save-evidence "$out/lossy.evidence.json"
lossy_network_dropped >"$out/dropped"
lossy_network_off "$out/delays" 2>"$out/network-off" || echo "lossy network off failed: $?" >>"$out/network-off"

# No IPv6 in the namespace at all (addresses gone, no route): auto says so once, off is silent.
sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.lo.disable_ipv6=1
run no-ipv6-auto "${v6_zones[@]}"
run no-ipv6-off "${v6_zones[@]}" --ipv6 off
exit 0
