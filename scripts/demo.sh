#!/usr/bin/env bash
# The README's first command: `nspolicy check` against live DNS without the internet. Starts the
# test lab (real BIND, NSD, Knot and Unbound on 127.20.0.0/16 with their own signed root; see
# tests/NsPolicy.Dns.Tests/Lab/README.md), checks examples/lab/nspolicy.yaml against it from the
# lab's root hints, prints the findings, and stops the lab (also on failure or Ctrl-C).
# Installs the Debian packages the lab needs when they are missing, like scripts/test.sh; needs
# root (the lab adds two addresses to lo). Nothing is sent off loopback (NSPOLICY_LOOPBACK_ONLY=1);
# where `unshare --net` works, the lab and nspolicy run in a network namespace with nothing but lo,
# with a lab of their own in slot 0 whatever other labs run (so the policy's addresses hold as written).
#
# usage: scripts/demo.sh [CHECK OPTION]...    e.g. scripts/demo.sh --format markdown
# Exit: 0 when nspolicy ran (findings are the point of the demo), else nspolicy's or the lab's code.
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/lib/debian.sh
ensure_packages "${lab_packages[@]}"
stop_dns_services

echo "building nspolicy and the lab runner (Release)..." >&2
dotnet build src/NsPolicy.Cli -c Release -v quiet -nologo >&2
dotnet build tools/NsPolicy.Lab -c Release -v quiet -nologo >&2
nspolicy=$PWD/src/NsPolicy.Cli/bin/Release/net10.0/nspolicy
lab=$PWD/tools/NsPolicy.Lab/bin/Release/net10.0/nspolicy-lab
if ! "$nspolicy" check --help 2>/dev/null | grep -q -- --root-hints; then
  echo "this build of nspolicy has no live checks (check --root-hints); try: nspolicy check --offline --policy examples/nspolicy.yaml" >&2
  exit 2
fi

isolate=()
if unshare --net true 2>/dev/null; then
  private_tmp=$(mktemp -d /tmp/nspolicy-demo.XXXXXX)
  trap 'rm -rf "$private_tmp"' EXIT
  isolate=(unshare --net -- bash -c 'ip link set lo up && exec "$@"' _ env TMPDIR="$private_tmp")
fi

echo "\$ nspolicy check --policy examples/lab/nspolicy.yaml --root-hints \"\$NSPOLICY_LAB_ROOT_HINTS\" $*" >&2
status=0
"${isolate[@]}" "$lab" run --policy examples/lab/nspolicy.yaml -- \
  bash -c 'exec "$0" check --policy "$NSPOLICY_LAB_POLICY" --root-hints "$NSPOLICY_LAB_ROOT_HINTS" "$@"' "$nspolicy" "$@" || status=$?
case $status in
  0) echo "nspolicy: exit 0, nothing at or above --fail-on" >&2 ;;
  1) echo "nspolicy: exit 1, findings at or above --fail-on (expected: five of the eight zones have drifted)" >&2; status=0 ;;
esac
exit "$status"
