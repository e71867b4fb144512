# Sourced inside a network namespace of one's own (unshare --net): makes its lo a lossy, slow
# network, or clean again. Refuses to touch anything in a namespace that has more than lo, so the
# host's loopback is never affected.
#
# lossy_network_on [DELAY_MS JITTER_MS LOSS_PERCENT]   (default 20 5 1)
#   netem on lo: every packet delayed DELAY_MS ± JITTER_MS and lost with LOSS_PERCENT % (each
#   way: a query and its answer each pass lo once). A kernel without sch_netem ("Specified qdisc
#   kind is unknown") gets the loss alone, from iptables' statistic match on INPUT (IPv4 and IPv6;
#   dropped there, a datagram is lost silently, as on a wire) and no delay. Prints what it set up:
#   "netem delay 20ms 5ms loss 1%" or "iptables loss 1% (no netem in this kernel: no delay)".
# lossy_network_dropped: prints how many packets the lossy network has dropped so far.
# lossy_network_off: removes both again.

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
  local probability
  probability=$(awk -v p="$loss" 'BEGIN { printf "%.6f", p / 100 }')
  iptables -A INPUT -m statistic --mode random --probability "$probability" -j DROP &&
    ip6tables -A INPUT -m statistic --mode random --probability "$probability" -j DROP || return
  echo "iptables loss ${loss}% (no netem in this kernel: no delay)"
}

lossy_network_dropped() {
  local netem rules
  netem=$(tc -s qdisc show dev lo 2>/dev/null | awk '/dropped/ { gsub(",", ""); for (i = 1; i <= NF; i++) if ($i == "dropped") n += $(i + 1) } END { print n + 0 }')
  rules=$({ iptables -nvxL INPUT 2>/dev/null; ip6tables -nvxL INPUT 2>/dev/null; } | awk '$3 == "DROP" { n += $1 } END { print n + 0 }')
  echo $((netem + rules))
}

lossy_network_off() {
  lossy_network_private || return
  tc qdisc del dev lo root 2>/dev/null || true
  iptables -F INPUT 2>/dev/null || true
  ip6tables -F INPUT 2>/dev/null || true
}
