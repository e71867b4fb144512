# Sourced inside a network namespace of one's own (unshare --net): makes its lo a lossy, slow
# network, or clean again. Refuses to touch anything in a namespace that has more than lo, so the
# host's loopback is never affected.
#
# lossy_network_on [DELAY_MS JITTER_MS LOSS_PERCENT]   (default 20 5 1)
#   Delays packets by DELAY_MS ± JITTER_MS (uniform) and loses LOSS_PERCENT % of them, each way: on
#   lo a query and its answer each leave once. With sch_netem in the kernel, netem on lo does both
#   and it prints "netem delay 20ms 5ms loss 1%". Without it ("Specified qdisc kind is unknown": the
#   kernel this project is tested on), it prints "nfqueue delay 20ms ±5ms loss 1%":
#   - delay: every packet of the lab's DNS traffic (UDP and TCP, to or from port 53, IPv4 and IPv6)
#     goes to netfilter queue 0 on OUTPUT, where `nspolicy-lab delay` (tools/NsPolicy.Lab; the lab
#     runner names its nspolicy-lab.dll in NSPOLICY_LAB_RUNNER) holds each one for its own drawn
#     delay. Fail closed: the rules have no --queue-bypass, so if the delayer dies the DNS traffic
#     stops (and the run fails) instead of silently flowing undelayed;
#   - loss: iptables' statistic match on INPUT (IPv4 and IPv6) drops LOSS_PERCENT % of every packet,
#     silently, as on a wire.
# lossy_network_dropped: prints how many packets the lossy network has dropped so far.
# lossy_network_off [STATS_FILE]: removes it all again; stops the delayer and writes what it did to
#   STATS_FILE ("name value" lines: packets held, drawn and held delays in ms, packets lost in the
#   queue by accident). Fails, saying why, when the delayer failed or lost packets by accident.

lossy_network_delayer=
lossy_network_state=

lossy_network_private() {
  local links
  links=$(ip -o link show | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }' | tr '\n' ' ')
  if [[ $links != "lo " ]]; then
    echo "lossy-network: refusing: this network namespace has more than lo ($links); run inside unshare --net" >&2
    return 2
  fi
}

lossy_network_on() {
  local delay=${1:-20} jitter=${2:-5} loss=${3:-1}
  lossy_network_private || return
  if tc qdisc add dev lo root netem delay "${delay}ms" "${jitter}ms" loss "${loss}%" 2>/dev/null; then
    echo "netem delay ${delay}ms ${jitter}ms loss ${loss}%"
    return 0
  fi
  if [[ -z ${NSPOLICY_LAB_RUNNER:-} ]]; then
    echo "lossy-network: no netem in this kernel and no delayer: NSPOLICY_LAB_RUNNER (set by nspolicy-lab run) is not set" >&2
    return 2
  fi
  lossy_network_state=$(mktemp -d /tmp/nspolicy-lossy-network.XXXXXX)
  mkfifo "$lossy_network_state/ready"
  dotnet "$NSPOLICY_LAB_RUNNER" delay --queue 0 --delay "$delay" --jitter "$jitter" --stats "$lossy_network_state/stats" \
    <"/dev/null" >"$lossy_network_state/ready" 2>"$lossy_network_state/err" &
  lossy_network_delayer=$!
  local ready=
  read -r ready <"$lossy_network_state/ready" || true
  if [[ $ready != ready:* ]]; then
    local status=0
    wait "$lossy_network_delayer" || status=$?
    echo "lossy-network: the delayer did not start (exit $status): $(cat "$lossy_network_state/err")" >&2
    lossy_network_delayer=
    return 1
  fi

  local probability tables protocol direction
  probability=$(awk -v p="$loss" 'BEGIN { printf "%.6f", p / 100 }')
  for tables in iptables ip6tables; do
    for protocol in udp tcp; do
      for direction in --dport --sport; do
        "$tables" -A OUTPUT -p "$protocol" "$direction" 53 -j NFQUEUE --queue-num 0 || return
      done
    done
    "$tables" -A INPUT -m statistic --mode random --probability "$probability" -j DROP || return
  done
  echo "nfqueue delay ${delay}ms ±${jitter}ms loss ${loss}%"
}

lossy_network_dropped() {
  local netem rules
  netem=$(tc -s qdisc show dev lo 2>/dev/null | awk '/dropped/ { gsub(",", ""); for (i = 1; i <= NF; i++) if ($i == "dropped") n += $(i + 1) } END { print n + 0 }')
  rules=$({ iptables -nvxL INPUT 2>/dev/null; ip6tables -nvxL INPUT 2>/dev/null; } | awk '$3 == "DROP" { n += $1 } END { print n + 0 }')
  echo $((netem + rules))
}

lossy_network_off() {
  local stats=${1:-} status=0
  lossy_network_private || return
  tc qdisc del dev lo root 2>/dev/null || true
  local tables
  for tables in iptables ip6tables; do
    "$tables" -F INPUT 2>/dev/null || true
    "$tables" -F OUTPUT 2>/dev/null || true
  done
  if [[ -n $lossy_network_delayer ]]; then
    # No packet enters the queue any more; the delayer releases what it holds when due, then ends.
    kill -TERM "$lossy_network_delayer" 2>/dev/null || true
    wait "$lossy_network_delayer" || status=$?
    if ((status != 0)); then
      echo "lossy-network: the delayer failed (exit $status): $(cat "$lossy_network_state/err")" >&2
    fi
    if [[ -n $stats ]]; then
      cp "$lossy_network_state/stats" "$stats" 2>/dev/null || { echo "lossy-network: the delayer wrote no statistics" >&2; ((status)) || status=1; }
    fi
    rm -rf "$lossy_network_state"
    lossy_network_delayer= lossy_network_state=
  fi
  return "$status"
}
