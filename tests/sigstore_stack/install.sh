#!/usr/bin/env bash
# Installs the stack's npm packages with `npm ci` from the committed lock
# file, unless node_modules already matches it. Safe to run concurrently
# (tests may call it in parallel): one install runs, the others wait.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "node and npm are required for the Sigstore test stack (scripts/install-deps.sh installs them)" >&2
  exit 1
fi
exec 9>"$here/.install.lock"
flock 9
want="$(sha256sum "$here/package-lock.json" | cut -d' ' -f1)"
stamp="$here/node_modules/.installed-lock-sha256"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
(cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
echo "$want" > "$stamp"
