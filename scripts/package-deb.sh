#!/usr/bin/env bash
# Makes the Debian 12 packages with CPack (cmake/package.cmake) from a build
# directory (default ./build, configured by scripts/build.sh or test.sh):
#   scripts/package-deb.sh [BUILD_DIR [OUTPUT_DIR]]
# writes OUTPUT_DIR (default BUILD_DIR/packages)/model-signing_VERSION-1_ARCH.deb
# (the CLI, man page, completions) and libmodel-signing-dev_VERSION-1_ARCH.deb
# (headers, library, CMake package, pkg-config file). The binaries are
# stripped; their shared-library dependencies come from dpkg-shlibdeps.
# Configure the build with -DCMAKE_INSTALL_PREFIX=/usr to get Debian's
# multiarch library directory (/usr/lib/<triplet>) in the -dev package;
# otherwise the library goes to /usr/lib.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$(cd "${1:-$root/build}" && pwd)"
out="${2:-$build/packages}"
cmake --build "$build" --target model_signing model_signing_cli cli_docs
mkdir -p "$out"
rm -f "$out"/*.deb
cpack -G DEB --config "$build/CPackConfig.cmake" -B "$out/cpack" >"$out/cpack.log" ||
  { cat "$out/cpack.log" >&2; exit 1; }
mv "$out"/cpack/*.deb "$out"/
rm -rf "$out/cpack"
ls "$out"/*.deb
