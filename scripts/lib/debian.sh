# Sourced by the scripts in scripts/: installs what they need from Debian, and nothing silently.

# The packages the DNS lab needs (real servers on loopback, their tools, `ip` for BIND's addresses;
# `unshare` for the IPv6 lab's network namespace, `tc` and `iptables` for its lossy network).
lab_packages=(bind9 bind9-utils bind9-dnsutils nsd knot knot-dnsutils knot-dnssecutils unbound ldnsutils iproute2 util-linux iptables)

# ensure_packages PKG...: installs those of the named Debian packages that are missing, saying which.
ensure_packages() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  ((${#missing[@]})) || return 0
  echo "installing Debian packages: ${missing[*]}" >&2
  local sudo_cmd=()
  [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# stop_dns_services: the distribution's service units must not hold port 53 on the lab addresses.
stop_dns_services() {
  local svc
  for svc in named bind9 nsd knot unbound; do
    if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet "$svc" 2>/dev/null; then
      systemctl stop "$svc" || true
    fi
  done
}
