#!/usr/bin/env bash
# Configures and builds into ./build (or $BUILD_DIR) with CMake + Ninja.
# Extra arguments are passed to CMake, e.g. -DMS_SANITIZE=address,undefined;
# BUILD_TARGET limits the build to those targets (space-separated).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${BUILD_DIR:-$root/build}"
cmake -S "$root" -B "$build" -G Ninja "$@" >/dev/null
read -ra targets <<<"${BUILD_TARGET:-}"
if ((${#targets[@]})); then
  cmake --build "$build" --target "${targets[@]}"
else
  cmake --build "$build"
fi
