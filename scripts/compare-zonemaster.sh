#!/usr/bin/env bash
# What nspolicy and zonemaster-cli say about the same lab scenarios (a comparison, not a test; CI
# never runs it). Starts the test lab (tests/NsPolicy.Dns.Tests/Lab) dual-stack, writes a policy of
# the scenario zones with `nspolicy init` (what each zone's parent publishes: the intended
# delegation, so only the zone's fault is left to find), runs `nspolicy check --zone Z` and
# `zonemaster-cli Z` on each, and prints a Markdown table: scenario | nspolicy codes | Zonemaster
# messages | agreement.
#
# Two sets of rows. The IPv4 rows (`zones` below) ask over IPv4 only (nspolicy --ipv6 off,
# zonemaster-cli --no-ipv6). The IPv4+IPv6 rows (`zones6`: the IPv6 scenarios, and good.test for
# the "no nameserver answers over IPv6" notice) ask both families (nspolicy --ipv6 on,
# zonemaster-cli --ipv6). Zonemaster's messages are those at NOTICE or above that it does not
# also give the healthy good.test or provider.test over IPv4 (the lab's own noise: private
# addresses, no PTR, SOA timers below its taste, ...), listed once below the table; in the
# IPv4+IPv6 rows its messages about IPv6 (tags containing IPV6) are never counted as noise.
# Agreement pairs each nspolicy code with the Zonemaster tags that say the same thing (the table
# `same` below); what is left on either side is listed as found by one tool only.
#
# Nothing can leave: the lab and both tools run in a network namespace of their own
# (`unshare --net`) with nothing but lo, on 127.20.0.0/16 and the lab's fd00:20:0:SLOT::/64;
# zonemaster-cli gets only the lab's root hints (--hints); nspolicy runs with
# NSPOLICY_LOOPBACK_ONLY=1 and NSPOLICY_ALLOW_PREFIXES naming the lab's IPv6 prefix only.
#
# usage: scripts/compare-zonemaster.sh [--keep DIR]
#   --keep DIR   keep the policy, the reports and both tools' outputs in DIR
# Needs root (network namespace, lab addresses on lo) and installs the Debian packages it needs.
set -euo pipefail
cd "$(dirname "$0")/.."

# Issue 11's scenarios (and the healthy zones beside them); keep in step with the Lab README.
zones=(good.test provider.test cohosted.test glue-poisoned.oob-parent.test many-ns.test open-recursion.test
  expired-apex-sig.test nsec3-iterations.test edns-broken.test edns-echo.test edns-no-opt.test soa-timers.test
  edns-badvers.test edns-flags.test edns-truncated.test edns-version-option.test)
# Asked over both families; good.test has no IPv6 nameserver (the NS_NO_IPV6 notice).
zones6=(dual-stack.test lame-v6.test unreachable-v6.test good.test)

# nspolicy code, then an extended regular expression of the Zonemaster tags that mean the same.
same=(
  "CHILD_OPEN_RECURSION IS_A_RECURSOR"
  "CHILD_EDNS_FORMERR NO_EDNS_SUPPORT"
  "CHILD_EDNS_VERSION ^(N10_|UNSUPPORTED_EDNS_VER)"
  "CHILD_EDNS_OPTION ^N11_(UNEXPECTED_RCODE|NO_RESPONSE|UNSET_AA|UNEXPECTED_ANSWER_SECTION)"
  "CHILD_EDNS_OPTION_ECHOED ^N11_RETURNS_UNKNOWN_OPTION_CODE"
  "CHILD_EDNS_NO_OPT ^(N1[01]_NO_EDNS|NO_EDNS_SUPPORT)"
  "CHILD_EDNS_BADVERS_RESPONSE ^N10_EDNS_RESPONSE_ERROR"
  "CHILD_EDNS_FLAGS ^(Z_FLAGS_NOTCLEAR|NS_ERROR)"
  "CHILD_EDNS_TRUNCATED_NO_OPT ^MISSING_OPT_IN_TRUNCATED"
  "CHILD_EDNS_VERSION_OPTION ^(UNSUPPORTED_EDNS_VER|UNKNOWN_OPTION_CODE)"
  "DNSSEC_APEX_SIGNATURE_EXPIRED ^(RRSIG_EXPIRED|DS09_SOA_RRSIG_EXPIRED|DS09_.*EXPIRED)"
  "DNSSEC_SIGNATURE_EXPIRED ^(RRSIG_EXPIRED|DS09_.*EXPIRED)"
  "DNSSEC_NSEC3_ITERATIONS ^(MANY_ITERATIONS|DS08_.*ITERATION|.*ITERATIONS.*)"
  "PARENT_REFERRAL_TOO_LARGE ^REFERRAL_SIZE_TOO_LARGE"
  "CHILD_SOA_TIMERS ^(REFRESH|RETRY|EXPIRE|SOA_DEFAULT_TTL)_"
  "NS_TOO_FEW_ADDRESSES SAME_IP"
  "CHILD_LAME ^(NS_FAILED|CN0[12]_UNEXPECTED_RCODE_.*|UNEXPECTED_RCODE)$"
  "CHILD_UNREACHABLE ^CN0[12]_NO_RESPONSE"
  "NS_NO_IPV6 ^NO_IPV6_NS_(CHILD|DEL)$"
)

if [[ ${1:-} == --inner ]]; then
  # Inside the namespace and beside the running dual-stack lab (called by nspolicy-lab run --ipv6).
  work=$2 nspolicy=$3
  hints=$NSPOLICY_LAB_ROOT_HINTS
  export NSPOLICY_LOOPBACK_ONLY=1 NSPOLICY_ALLOW_PREFIXES=$NSPOLICY_LAB_IPV6_PREFIX
  cp "$hints" "$work/root.hints"
  (cd "$work" && "$nspolicy" init "${zones[@]}" dual-stack.test lame-v6.test unreachable-v6.test --root-hints root.hints -o nspolicy.yaml) >"$work/init.out" 2>&1
  # compare ROWS ZONE NSPOLICY-IPV6 ZONEMASTER-IPV6
  compare() {
    echo "nspolicy check --zone $2 --ipv6 $3..." >&2
    (cd "$work" && "$nspolicy" check --zone "$2" --ipv6 "$3" --format json --fail-on none) >"$work/nspolicy$1-$2.json" 2>"$work/nspolicy$1-$2.err" || true
    echo "zonemaster-cli $2 $4..." >&2
    zonemaster-cli --hints "$hints" --ipv4 "$4" --no-progress --raw --level NOTICE --show-testcase "$2" \
      >"$work/zonemaster$1-$2.txt" 2>"$work/zonemaster$1-$2.err" || true
  }
  for zone in "${zones[@]}"; do compare "" "$zone" off --no-ipv6; done
  for zone in "${zones6[@]}"; do compare 6 "$zone" on --ipv6; done
  exit 0
fi

keep=
while (($#)); do
  case $1 in
    --keep) keep=$2; shift 2 ;;
    *) echo "usage: $0 [--keep DIR]" >&2; exit 2 ;;
  esac
done

source scripts/lib/debian.sh
ensure_packages "${lab_packages[@]}" util-linux zonemaster-cli jq

echo "building nspolicy and the lab runner (Release)..." >&2
dotnet build src/NsPolicy.Cli -c Release -v quiet -nologo >&2
dotnet build tools/NsPolicy.Lab -c Release -v quiet -nologo >&2
nspolicy=$PWD/src/NsPolicy.Cli/bin/Release/net10.0/nspolicy
lab=$PWD/tools/NsPolicy.Lab/bin/Release/net10.0/nspolicy-lab

if [[ -n $keep ]]; then
  mkdir -p "$keep"
  work=$(cd "$keep" && pwd)
else
  work=$(mktemp -d /tmp/nspolicy-compare-zonemaster.XXXXXX)
  trap 'rm -rf "$work"' EXIT
fi

unshare --net -- bash -c 'ip link set lo up && exec "$@"' _ \
  "$lab" run --ipv6 -- "$PWD/scripts/compare-zonemaster.sh" --inner "$work" "$nspolicy"

# nspolicy: the codes of each zone, as often as reported. Zonemaster: "LEVEL TESTCASE TAG" from
# raw lines such as "   0.41 WARNING   NAMESERVER10   N10_EDNS_RESPONSE_ERROR   ns=..." (a message whose
# arguments hold a line break goes on over a line whose "tag" is not one, such as "...NETWORK>").
# ROWS is "" for the IPv4 rows and 6 for the IPv4+IPv6 rows.
codes() { jq -r '.findings[].code' "$work/nspolicy$1-$2.json" | sort; }
tags() { awk '$2 ~ /^(CRITICAL|ERROR|WARNING|NOTICE)$/ && $4 ~ /^[A-Z0-9_]+$/ { print $2 " " $3 " " $4 }' "$work/zonemaster$1-$2.txt" | sort -u; }
{ tags "" good.test; tags "" provider.test; } | sort -u >"$work/baseline"
{ grep -v IPV6 "$work/baseline" || true; } >"$work/baseline6"
list() { paste -sd ';' - | sed 's/;/; /g'; }

# row ROWS ZONE LABEL: one line of the table.
row() {
  local ours theirs tagged both=() only_ours=() matched="" code pattern hits rest agreement=""
  ours=$(codes "$1" "$2" | list)
  theirs=$(tags "$1" "$2" | { grep -vxF -f "$work/baseline$1" || true; })
  tagged=$(awk '{ print $3 }' <<<"$theirs" | sort -u)
  for code in $(codes "$1" "$2" | sort -u); do
    pattern=$(printf '%s\n' "${same[@]}" | awk -v c="$code" '$1 == c { print $2 }')
    hits=""
    if [[ -n $pattern ]]; then hits=$(grep -E "$pattern" <<<"$tagged" | paste -sd '/' - || true); fi
    if [[ -n $hits ]]; then both+=("$code ~ $hits"); matched+=$(tr '/' '\n' <<<"$hits")$'\n'; else only_ours+=("$code"); fi
  done
  rest=$(grep -vxF -f <(printf '%s' "${matched:-@}") <<<"$tagged" | list || true)
  if ((${#both[@]})); then agreement+="both: $(printf '%s\n' "${both[@]}" | list)"; fi
  if ((${#only_ours[@]})); then agreement+="${agreement:+. }only nspolicy: $(printf '%s\n' "${only_ours[@]}" | list)"; fi
  if [[ -n $rest ]]; then agreement+="${agreement:+. }only Zonemaster: $rest"; fi
  if [[ -n $theirs ]]; then theirs=$(list <<<"$theirs"); fi
  echo "| \`$2\`$3 | ${ours:-none} | ${theirs:-none} | ${agreement:-both silent} |"
}

echo
echo "zonemaster-cli $(zonemaster-cli --version 2>/dev/null | sed -n 's/^CLI version: *//p'), --hints (lab root) --level NOTICE; nspolicy $("$nspolicy" --version 2>/dev/null | head -n 1)"
echo
echo "| scenario | nspolicy codes | Zonemaster messages (level, test case, tag) beyond the healthy zones' | agreement |"
echo "|---|---|---|---|"
for zone in "${zones[@]}"; do row "" "$zone" ""; done
for zone in "${zones6[@]}"; do row 6 "$zone" " (IPv4+IPv6)"; done
echo
echo "Zonemaster's messages for the healthy good.test and provider.test over IPv4 (the lab's noise, left out above; in the IPv4+IPv6 rows except those about IPv6): $(list <"$work/baseline")"
