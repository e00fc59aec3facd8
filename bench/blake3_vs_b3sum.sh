#!/usr/bin/env bash
# `model_signing digest --hash blake3` against b3sum (the official BLAKE3
# implementation) on a warm 2 GiB file, in the same run: one thread
# (--max-workers 1 vs b3sum --num-threads 1) and all cores (defaults of both).
# Prints throughput ratios as a Markdown table.
#
#   bench/blake3_vs_b3sum.sh               # file in $BENCH_DIR (default /tmp/ms-b3-bench), removed afterwards
#   REPS=9 SIZE_MIB=4096 bench/blake3_vs_b3sum.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${BUILD_DIR:-$root/build}"
data="${BENCH_DIR:-/tmp/ms-b3-bench}"
size_mib="${SIZE_MIB:-2048}"
b3sum="$(command -v b3sum || true)"
if [ -z "$b3sum" ]; then
  echo "b3sum not found (Debian package b3sum)" >&2
  exit 1
fi
cmake --build "$build" --target model_signing_cli blake3_vs_b3sum >/dev/null

mkdir -p "$data"
trap 'rm -rf "$data"' EXIT
file="$data/weights.bin"
echo "Writing a ${size_mib} MiB file to $file ..." >&2
head -c "$((size_mib * 1024 * 1024))" /dev/urandom > "$file"
# Warm the page cache (twice: the first read may still be evicting).
cat "$file" > /dev/null
cat "$file" > /dev/null

"$build/bench/blake3_vs_b3sum" "$build/cli/model_signing" "$b3sum" "$file" "${REPS:-5}"
