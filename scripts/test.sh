#!/usr/bin/env bash
# The test command: installs what is missing, builds, runs every test.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/install-deps.sh"
"$root/tests/sigstore_stack/install.sh"
BUILD_DIR="${BUILD_DIR:-$root/build}" "$root/scripts/build.sh" -DMS_BUILD_TESTS=ON -DMS_BUILD_BENCH=ON
cd "${BUILD_DIR:-$root/build}"
ctest --output-on-failure --timeout 1800 -j "$(nproc)"
