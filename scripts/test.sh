#!/usr/bin/env bash
# Runs every test. Installs the Debian packages the integration tests need (real DNS servers for
# the loopback lab) when they are missing, restores NuGet packages, then runs the whole solution.
# Results: TestResults/*.trx. Extra arguments go to `dotnet test`.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(bind9 bind9-utils bind9-dnsutils nsd knot knot-dnsutils knot-dnssecutils unbound ldnsutils iproute2 git)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "installing Debian packages: ${missing[*]}" >&2
  sudo_cmd=()
  [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# The distribution's service units must not hold port 53 on the lab addresses.
for svc in named bind9 nsd knot unbound; do
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet "$svc" 2>/dev/null; then
    systemctl stop "$svc" || true
  fi
done

# Every query the tests send must stay on loopback.
export NSPOLICY_LOOPBACK_ONLY=1

rm -rf TestResults
dotnet restore NsPolicy.sln
dotnet build NsPolicy.sln --no-restore -c Release
dotnet test NsPolicy.sln --no-build -c Release \
  --logger "trx" --results-directory TestResults "$@"
