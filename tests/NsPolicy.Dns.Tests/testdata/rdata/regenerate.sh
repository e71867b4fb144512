#!/usr/bin/env bash
# Rebuilds rdata.golden from input.txt with BIND's named-rrchecker (package bind9-utils), the
# reference for both the presentation form (-p) and the wire form (-u, RFC 3597 generic syntax).
# Relative names are completed with the origin "example.". Run by hand; tests never run it.
set -euo pipefail
cd "$(dirname "$0")"
: > rdata.golden
while IFS= read -r line; do
  [[ -z $line || $line == \#* ]] && continue
  type=${line%% *}
  rdata=${line#* }
  p=$(printf 'IN %s %s\n' "$type" "$rdata" | named-rrchecker -p -o example.)
  u=$(printf 'IN %s %s\n' "$type" "$rdata" | named-rrchecker -u -o example.)
  printf '%s\t%s\t%s\t%s\n' "$type" "$rdata" "$(cut -f3- <<<"$p")" "$(cut -f3- <<<"$u" | sed 's/^\\# [0-9]* *//')" >> rdata.golden
done < input.txt
