#!/usr/bin/env bash
# The test command: installs what is missing, builds (warnings are errors),
# runs every test (the C++ tests with ctest, the Python package's with
# pytest), builds once more without the optional features, then
#  - runs the unit tests once more built with AddressSanitizer and
#    UndefinedBehaviorSanitizer (MS_SKIP_SANITIZERS=1 skips this pass);
#  - with MS_RUN_TSAN=1, runs the threaded code's tests (engine, read-ahead,
#    hashes) built with ThreadSanitizer: only that test program is built;
#  - with MS_RUN_FUZZ=1, runs every fuzz target for MS_FUZZ_SECONDS (default
#    10) each with clang and libFuzzer; a crash fails the run.
# The last two are opt-in until they have been run clean on a CI machine.
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

if [[ "${MS_RUN_TSAN:-0}" == 1 ]]; then
  BUILD_DIR="$root/build-tsan" BUILD_TARGET=tsan_tests "$root/scripts/build.sh" \
    -DMS_SANITIZE=thread -DMS_BUILD_TESTS=ON -DMS_BUILD_BENCH=OFF -DMS_BUILD_EXAMPLES=OFF
  TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" \
    "$root/build-tsan/tests/tsan_tests" --gtest_brief=1 \
    --gtest_filter='Engine*:*ReadAhead*:*HashRoundTrip*:Sha256*:*Blake2b*:*Blake3*:ShardReader*:ShardLayout*:Sigbus*:*Truncat*'
fi

if [[ "${MS_RUN_FUZZ:-0}" == 1 ]]; then
  "$root/scripts/fuzz.sh" --all "${MS_FUZZ_SECONDS:-10}"
fi
