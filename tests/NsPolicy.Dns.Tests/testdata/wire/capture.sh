#!/usr/bin/env bash
# Recaptures the *.bin responses: BIND's named (package bind9) serves ../dnssec/ECDSAP256SHA256.signed
# on 127.0.0.1 port 53535 only, a few queries with EDNS and DO are sent there, and named is stopped.
# Loopback only. Run by hand, then rewrite the .golden files with NSPOLICY_UPDATE_GOLDEN=1.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
cp "$here/../dnssec/ECDSAP256SHA256.signed" "$work/example.test.signed"
cat > "$work/named.conf" <<CONF
options { directory "$work"; listen-on port 53535 { 127.0.0.1; }; listen-on-v6 { none; };
          recursion no; pid-file "$work/named.pid"; dnssec-validation no; notify no; };
controls { };
zone "example.test" { type primary; file "$work/example.test.signed"; };
CONF
named -c "$work/named.conf" -g > "$work/named.log" 2>&1 &
named_pid=$!
trap 'kill "$named_pid"; wait "$named_pid" 2> /dev/null; rm -rf "$work"' EXIT
sleep 2
python3 - "$here" <<'PY'
import socket, struct, sys

def query(name, qtype):
    packet = struct.pack('>HHHHHH', 0x4242, 0, 1, 0, 0, 1)
    for label in name.split('.'):
        packet += bytes([len(label)]) + label.encode()
    packet += b'\0' + struct.pack('>HH', qtype, 1)
    packet += b'\0' + struct.pack('>HHIH', 41, 1232, 0x8000, 0)
    return packet

sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sock.settimeout(2)
for file, name, qtype in [
        ('example.test-dnskey', 'example.test', 48), ('example.test-ns', 'example.test', 2),
        ('example.test-soa', 'example.test', 6), ('www.example.test-a', 'www.example.test', 1),
        ('nxdomain.example.test-a', 'nope.example.test', 1),
        ('sub.example.test-referral', 'host.sub.example.test', 1),
        ('wild.example.test-a', 'x.wild.example.test', 1)]:
    sock.sendto(query(name, qtype), ('127.0.0.1', 53535))
    with open(f'{sys.argv[1]}/{file}.bin', 'wb') as out:
        out.write(sock.recvfrom(65535)[0])
PY
