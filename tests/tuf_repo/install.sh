#!/usr/bin/env bash
# Installs the TUF repository simulator's npm packages (npm ci from the
# committed lock file) unless node_modules already matches the lock file.
# Safe to run concurrently: one install runs, the others wait.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
command -v npm >/dev/null || { echo "npm is required for the TUF test repository" >&2; exit 1; }
exec 9>"${TMPDIR:-/tmp}/model-signing-tuf-repo-install.lock"
flock 9
want="$(sha256sum "$here/package-lock.json" | cut -d' ' -f1)"
stamp="$here/node_modules/.installed-lock-sha256"
[ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && exit 0
(cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
echo "$want" > "$stamp"
