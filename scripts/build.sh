#!/usr/bin/env bash
# Configures and builds into ./build (or $BUILD_DIR) with CMake + Ninja.
# Extra arguments are passed to CMake, e.g. -DMS_SANITIZE=address,undefined;
# BUILD_TARGET limits the build to one target.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${BUILD_DIR:-$root/build}"
cmake -S "$root" -B "$build" -G Ninja "$@" >/dev/null
cmake --build "$build" ${BUILD_TARGET:+--target "$BUILD_TARGET"}
