#!/usr/bin/env bash
# The test command: installs what is missing, builds (warnings are errors),
# runs every test (the C++ tests with ctest, the Python package's with
# pytest), builds once more without the optional features, then
# runs the unit tests once more built with AddressSanitizer and
# UndefinedBehaviorSanitizer (MS_SKIP_SANITIZERS=1 skips that pass).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/install-deps.sh"
"$root/tests/sigstore_stack/install.sh"
"$root/tests/tuf_repo/install.sh"
BUILD_DIR="${BUILD_DIR:-$root/build}" "$root/scripts/build.sh" -DMS_BUILD_TESTS=ON -DMS_BUILD_BENCH=ON -DMS_WERROR=ON \
  -DMS_BUILD_PYTHON=ON
(cd "${BUILD_DIR:-$root/build}" && ctest --output-on-failure --timeout 1800 -j "$(nproc)")
# The Python package, installed from that build into a venv, and its tests.
BUILD_DIR="${BUILD_DIR:-$root/build}" "$root/tests/python/run.sh"
"$root/scripts/check-features-off.sh" -DMS_WERROR=ON

if [[ "${MS_SKIP_SANITIZERS:-0}" != 1 ]]; then
  # Every area's unit tests; the CLI they run is the instrumented build too.
  BUILD_DIR="$root/build-asan" BUILD_TARGET=unit_tests "$root/scripts/build.sh" \
    -DMS_SANITIZE=address,undefined -DMS_BUILD_TESTS=ON -DMS_BUILD_BENCH=OFF
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    "$root/build-asan/tests/unit_tests" --gtest_brief=1
fi
