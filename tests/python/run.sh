#!/usr/bin/env bash
# Installs the Python package into a fresh virtual environment from an
# existing CMake build (configured with -DMS_BUILD_PYTHON=ON; nothing is
# compiled again) the way the README tells users to, then runs the pytest
# suite against the installed package.
#
#   tests/python/run.sh [pytest arguments]      # build in ./build or $BUILD_DIR
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${BUILD_DIR:-$root/build}"
venv="$build/python-venv"
rm -rf "$venv"
# Debian's interpreter, never another python3 that PATH may find first.
/usr/bin/python3 -m venv --system-site-packages "$venv"
MODEL_SIGNING_BUILD_DIR="$build" "$venv/bin/pip" install --quiet --no-cache-dir \
  --no-build-isolation --no-index --no-deps "$root"
cd "$root"
MS_PYTHON_INSTALLED=1 "$venv/bin/python" -m pytest -q -p no:cacheprovider "$root/tests/python" "$@"
