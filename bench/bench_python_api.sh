#!/usr/bin/env bash
# The Python API against the CLI (and against a pure-Python stand-in for the
# Python model_signing tool on 20,000 small files); see
# bench/python_api_bench.py. Builds the staged package (-DMS_BUILD_PYTHON=ON)
# in ./build (or $BUILD_DIR) and runs it with Debian's python3. Needs about
# 8 GiB in $BENCH_DIR (default /tmp/ms-bench-python; bench_digest.sh's kept
# data has the same layout).
#
#   flock /tmp/ms-cpu.lock bench/bench_python_api.sh          # REPS=5 by default
#   REPS=9 KEEP_DATA=1 bench/bench_python_api.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${BUILD_DIR:-$root/build}"
data="${BENCH_DIR:-/tmp/ms-bench-python}"
cmake -S "$root" -B "$build" -G Ninja -DMS_BUILD_PYTHON=ON >/dev/null
cmake --build "$build" --target python_package >/dev/null
stage="$(sed -n 's/^MS_PYTHON_STAGE_DIR:PATH=//p' "$build/CMakeCache.txt")"
PYTHONPATH="$stage" /usr/bin/python3 "$root/bench/python_api_bench.py" \
  "$stage/model_signing/_bin/model_signing" "$data" "${REPS:-5}"
if [ -z "${KEEP_DATA:-}" ]; then rm -rf "$data"; fi
