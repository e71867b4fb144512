#!/usr/bin/env bash
# The action's first step: names the build of nspolicy for this runner. Prints (to GITHUB_OUTPUT)
# the .NET runtime identifier of the runner's OS and architecture and the cache key: that
# identifier plus a hash of the source the tool is built from, so a new version of the action, or
# another kind of runner, builds its own copy once. Run from the action's folder.
set -euo pipefail

case "${RUNNER_OS:-$(uname -s)}/${RUNNER_ARCH:-$(uname -m)}" in
  Linux/X64 | Linux/x86_64) rid=linux-x64 ;;
  Linux/ARM64 | Linux/aarch64) rid=linux-arm64 ;;
  macOS/ARM64 | Darwin/arm64) rid=osx-arm64 ;;
  macOS/X64 | Darwin/x86_64) rid=osx-x64 ;;
  Windows/X64) rid=win-x64 ;;
  Windows/ARM64) rid=win-arm64 ;;
  *)
    echo "::error title=nspolicy action::no nspolicy build for ${RUNNER_OS:-?}/${RUNNER_ARCH:-?}"
    exit 2
    ;;
esac

if command -v sha256sum >/dev/null 2>&1; then sum() { sha256sum; }; else sum() { shasum -a 256; }; fi
hash=$(find src schemas global.json Directory.Build.props Directory.Packages.props scripts/action -type f \
         \( -name '*.cs' -o -name '*.csproj' -o -name '*.json' -o -name '*.props' -o -name '*.sh' \) -not -path '*/bin/*' -not -path '*/obj/*' \
       | LC_ALL=C sort \
       | while IFS= read -r file; do printf '%s ' "$file"; sum < "$file"; done \
       | sum | cut -c1-32)
{
  echo "rid=$rid"
  echo "key=nspolicy-$rid-$hash"
} >> "${GITHUB_OUTPUT:-/dev/stdout}"
