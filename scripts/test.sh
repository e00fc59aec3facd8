#!/usr/bin/env bash
# The test command: installs what is missing, builds (warnings are errors),
# runs every test (the C++ tests with ctest, the Python package's with
# pytest), builds once more without the optional features, then the
# sanitizer passes (MS_SKIP_SANITIZERS=1 skips them, for developers only:
# CI runs them):
#  - one clang-14 build in build-sanitize/ with AddressSanitizer,
#    UndefinedBehaviorSanitizer and libFuzzer (-DMS_FUZZ=ON) builds the unit
#    tests and the fuzz targets, sharing the library's objects: the unit
#    tests run once more (leaks and undefined behaviour fail them), then
#    every fuzz target runs MS_FUZZ_SECONDS (default 20) from its seeds,
#    one per core (scripts/fuzz.sh --all); a crash, leak or timeout fails
#    the run;
#  - the threaded code's tests (engine, read-ahead, hashes, the walk's pool) built with
#    ThreadSanitizer in build-tsan/ (only that test program is built); any
#    report fails the run.
set -euo pipefail

# run_sharded BINARY ARGS...: the GoogleTest program split into one shard
# per core, run at once (a sanitized program is one process on one core
# otherwise); fails if any shard fails, after all have finished.
run_sharded() {
  local shards pids=() status=0
  shards="$(nproc)"
  for ((i = 0; i < shards; ++i)); do
    GTEST_TOTAL_SHARDS="$shards" GTEST_SHARD_INDEX="$i" "$@" &
    pids+=("$!")
  done
  for pid in "${pids[@]}"; do wait "$pid" || status=1; done
  return "$status"
}

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
  # Every area's unit tests (the CLI they run is the instrumented build too)
  # and the fuzz targets, over one instrumented library. -O1 with line
  # tables only (what OSS-Fuzz uses): stack traces keep file:line, and the
  # build takes far less time than -O2 -g with the sanitizers.
  CC=clang-14 CXX=clang++-14 BUILD_DIR="$root/build-sanitize" BUILD_TARGET="unit_tests fuzz_all" \
    "$root/scripts/build.sh" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only -DNDEBUG" \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only -DNDEBUG" \
    -DMS_SANITIZE=address,undefined -DMS_FUZZ=ON -DMS_BUILD_TESTS=ON -DMS_BUILD_BENCH=OFF -DMS_BUILD_EXAMPLES=OFF
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    run_sharded "$root/build-sanitize/tests/unit_tests" --gtest_brief=1
  FUZZ_BUILD_DIR="$root/build-sanitize" "$root/scripts/fuzz.sh" --all "${MS_FUZZ_SECONDS:-20}"

  # -O1 with less debug information, for the same reason.
  BUILD_DIR="$root/build-tsan" BUILD_TARGET=tsan_tests "$root/scripts/build.sh" \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" \
    -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" -DMS_SANITIZE=thread -DMS_BUILD_TESTS=ON -DMS_BUILD_BENCH=OFF -DMS_BUILD_EXAMPLES=OFF
  TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" \
    run_sharded "$root/build-tsan/tests/tsan_tests" --gtest_brief=1 \
    --gtest_filter='Engine*:ReadPathChooser*:ChunkPool*:*ReadAhead*:*HashRoundTrip*:Sha256*:*Blake2b*:*Blake3*:ShardReader*:ShardLayout*:Sigbus*:*Truncat*'
fi
