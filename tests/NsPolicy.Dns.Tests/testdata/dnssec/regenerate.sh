#!/usr/bin/env bash
# Rebuilds the signed zones and DS golden data from example.test.zone with BIND's tools (package
# bind9-utils). New keys and (for RSA/ECDSA) new signatures come out every run, so the tests check
# properties (every signature verifies, every DS matches), not particular bytes. Run by hand only.
# rfc-signatures.tsv and rfc-ds.tsv are copied from the RFCs' examples and are not regenerated.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
: > "$here/ds.golden"
for spec in RSASHA256:2048 RSASHA512:2048 ECDSAP256SHA256: ECDSAP384SHA384: ED25519: ED448:; do
  alg=${spec%%:*}
  bits=${spec#*:}
  mkdir -p "$work/$alg"
  cd "$work/$alg"
  key=$(dnssec-keygen -q -K . -a "$alg" ${bits:+-b "$bits"} -f KSK example.test.)
  { cat "$here/example.test.zone"; echo "\$INCLUDE $key.key"; } > zone
  dnssec-signzone -q -z -O full -N keep -s 20240101000000 -e 20340101000000 -o example.test. -f signed zone "$key.key" > /dev/null
  grep -v '^;' signed > "$here/$alg.signed"
  grep -v '^;' "$key.key" > "$here/$alg.dnskey"
  for digest in SHA-1 SHA-256 SHA-384; do
    dnssec-dsfromkey -a "$digest" "$key.key" 2> /dev/null >> "$here/ds.golden"
  done
  if [[ $alg == ECDSAP256SHA256 ]]; then
    dnssec-signzone -q -z -O full -N keep -3 aabbccdd -H 0 -s 20240101000000 -e 20340101000000 -o example.test. -f signed-nsec3 zone "$key.key" > /dev/null
    grep -v '^;' signed-nsec3 > "$here/$alg-nsec3.signed"
  fi
done
