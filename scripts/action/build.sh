#!/usr/bin/env bash
# The action's build step, run only on a cache miss: publishes nspolicy from the action's source as
# a self-contained, ReadyToRun program for the runner ($NSPOLICY_RID, from key.sh) into
# $NSPOLICY_HOME/bin, which the cache then keeps. The runs that restore it need no .NET at all.
set -euo pipefail
: "${NSPOLICY_RID:?set by key.sh}" "${NSPOLICY_HOME:?the folder to publish under}"
source_dir="${GITHUB_ACTION_PATH:-$(cd "$(dirname "$0")/../.." && pwd)}"

dotnet publish "$source_dir/src/NsPolicy.Cli" -c Release --nologo \
  -r "$NSPOLICY_RID" --self-contained true -p:PublishReadyToRun=true \
  -o "$NSPOLICY_HOME/bin"
